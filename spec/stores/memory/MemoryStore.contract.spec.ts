import { storeContract } from '../storeContract';
import { MemoryStore } from '../../../lib/stores/memory/MemoryStore';

storeContract('MemoryStore', async (clock) => new MemoryStore({ clock }), async (store) => store.close?.());
