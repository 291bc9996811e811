// Starts mongo-java-server with its H2 backend so data survives a restart of the
// process (the fault drills stop and restart the server mid-storm).
// It announces wire version 13 (MongoDB 5.0): the Node driver under mongoose 9
// refuses servers below 4.4, and mongo-java-server's own 5.0 preset still says 8.
// Usage: java -cp <jars> MongoJavaServer.java <port> <h2-file>
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
        MongoServer server = new MongoServer(new H2Backend(args[1]).version(MONGO_5_0));
        server.bind("127.0.0.1", port);
        System.out.println("listening on 127.0.0.1:" + port);
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown));
        Thread.currentThread().join();
    }
}
