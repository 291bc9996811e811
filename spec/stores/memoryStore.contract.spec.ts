import { storeContract } from './storeContract';
import { MemoryStore } from '../support/memoryStore';

storeContract('MemoryStore (spec support)', async (clock) => new MemoryStore(clock), async () => {});
