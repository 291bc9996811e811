// Starts mongo-java-server with its H2 backend. With a file, data survives a restart of
// the process (the specs' fault drills stop and restart the server mid-storm). Without
// one, H2 keeps its store in memory: the bench's dashboard phase needs no restart, and at
// its size (100,000 events) the file store makes building indexes and every scan of the
// events many times slower (docs/performance.md, "Dashboard pages").
// It announces wire version 13 (MongoDB 5.0): the Node driver under mongoose 9
// refuses servers below 4.4, and mongo-java-server's own 5.0 preset still says 8.
// Usage: java -cp <jars> MongoJavaServer.java <port> [<h2-file>]
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.util.List;

public class MongoJavaServer {
    static final MongoVersion MONGO_5_0 = new MongoVersion() {
        public List<Integer> getVersionArray() { return List.of(5, 0, 0); }
        public int getWireVersion() { return 13; }
    };

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        H2Backend backend = args.length > 1 ? new H2Backend(args[1]) : H2Backend.inMemory();
        MongoServer server = new MongoServer(backend.version(MONGO_5_0));
        server.bind("127.0.0.1", port);
        System.out.println("listening on 127.0.0.1:" + port + (args.length > 1 ? " (H2 file " + args[1] + ")" : " (in memory)"));
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown));
        Thread.currentThread().join();
    }
}
