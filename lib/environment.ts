// The environment defaults registry lives beside the reporters that use it
// (lib/middleware/environmentDefaults.ts), so no middleware imports upwards; this path
// stays for code and specs that import it from here.
export { ENVIRONMENT_VARIABLES, notifiersFromEnvironment, shareClose, storeFromEnvironment } from './middleware/environmentDefaults';
