const { firstValueFrom, of } = require('rxjs');
const { Encoder } = require('cbor-x');
const { connectMemoryStore } = require('@konserve-rx/memory');
const cbor = new Encoder({ useRecords: false, mapsAsObjects: true });
const FLAT = Object.fromEntries(Array.from({ length: 30 }, (_, i) => { const n = String(i).padStart(2, '0'); return [`field${n}`, `value ${n} ${'abcdefghijklmnopq'}`.padEnd(24, '.')]; }));
const NESTED = { id: 48213, name: 'Ada Lovelace', active: true, verified: false, score: 97.25, ratio: -0.003125, tags: ['analysis', 'engine', 'notes', 'poetry'],
 address: { street: '12 St James Square', city: 'London', zip: 'SW1Y 4JH', geo: { lat: 51.5074, lon: -0.1342 } },
 counts: [1, 2, 3, 5, 8, 13, 21, 34, 55, 89],
 orders: [ { id: 1, total: 19.99, paid: true, items: [{ sku: 'A-100', qty: 2 }, { sku: 'B-200', qty: 1 }] }, { id: 2, total: 5.5, paid: false, items: [{ sku: 'C-300', qty: 4 }] } ],
 settings: { theme: 'dark', notifications: { email: true, sms: false, push: true }, limits: { daily: 1000, monthly: 25000 } },
 history: [ { at: 1700000000, event: 'login', ok: true }, { at: 1700003600, event: 'purchase', ok: true }, { at: 1700007200, event: 'logout', ok: true } ],
 note: 'first program for a machine, published 1843' };
const which = process.argv[2], docName = process.argv[3], op = process.argv[4];
const DOC = docName === 'nested' ? NESTED : FLAT;
console.error(docName, cbor.encode(DOC).length);
const keys = 1000; const keyOf = (n) => `doc-${n}`; const slot = (i) => (i * 7919) % keys;
(async () => {
 let get, put;
 if (which === 'store') {
  const store = await firstValueFrom(connectMemoryStore());
  for (let k = 0; k < keys; k++) await firstValueFrom(store.assoc(keyOf(k), DOC));
  get = (i, done) => store.get(keyOf(slot(i))).subscribe({ complete: done });
  put = (i, done) => store.assoc(keyOf(slot(i)), DOC).subscribe({ complete: done });
 } else {
  const map = new Map(); for (let k = 0; k < keys; k++) map.set(keyOf(k), cbor.encode(DOC));
  get = (i, done) => of(cbor.decode(map.get(keyOf(slot(i))))).subscribe({ complete: done });
  put = (i, done) => of(void map.set(keyOf(slot(i)), cbor.encode(DOC))).subscribe({ complete: done });
 }
 const f = op === 'get' ? get : put;
 const run = (n) => { const c0 = process.cpuUsage(); for (let i = 0; i < n; i++) f(i, () => {}); const c = process.cpuUsage(c0); return n / ((c.user + c.system) / 1e6); };
 run(20000);
 const r = []; for (let k = 0; k < 7; k++) r.push(run(50000));
 r.sort((a, b) => a - b); console.log(which, docName, op, Math.round(r[3]));
})();
