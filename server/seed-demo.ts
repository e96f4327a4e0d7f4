// `npm run seed:demo`: the explicit way to put the demo organizations into a PostgreSQL
// database (DATABASE_URL); the server itself never does it unasked.
import { readConfig } from '../src/lib/server/config.ts';
import { openDatabase } from '../src/lib/server/db/index.ts';
import { seedDemo } from '../src/lib/server/demo/seed.ts';

const config = readConfig();
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
const seeded = await seedDemo(database.db);
console.log(seeded ? 'Seeded the demo organizations Acme, Globex and Mutuelle Horizon.' : 'The database is not empty: nothing seeded.');
await database.close();
