#!/usr/bin/env node
/**
 * Micro-benchmarks of the hot path with tinybench, in-process and without
 * sockets: the request parser, the reply writer, and a whole pipeline of 16
 * SET/GET (parse, dispatch, execute, encode) against a stub socket.
 *
 *   npm run build && node bench/micro.js
 */
'use strict';
const { Bench } = require('tinybench');
const { RequestParser } = require('../dist/protocol/parser');
const { ReplyWriter } = require('../dist/protocol/reply');
const { Server } = require('../dist/server/server');
const { Config } = require('../dist/config/config');
const { Logger } = require('../dist/server/log');

function command(...argv) {
  return argv.reduce((s, a) => s + '$' + a.length + '\r\n' + a + '\r\n', '*' + argv.length + '\r\n');
}

const set16 = Buffer.from(Array.from({ length: 16 }, (_, i) => command('SET', 'key:' + String(i * 7).padStart(12, '0'), 'xxx')).join(''), 'latin1');
const get16 = Buffer.from(Array.from({ length: 16 }, (_, i) => command('GET', 'key:' + String(i * 7).padStart(12, '0'))).join(''), 'latin1');
const inline16 = Buffer.from('PING\r\n'.repeat(16), 'latin1');

const parser = new RequestParser({ protoMaxBulkLen: 512 * 1024 * 1024 });
function parseAll(buf) {
  parser.feed(buf);
  let n = 0;
  while (parser.next() !== null) n++;
  if (n !== 16) throw new Error('parsed ' + n);
}

const writer = new ReplyWriter();

const config = new Config();
config.set('save', ['']);
const server = new Server(config, new Logger({ level: 'warning', pretty: false }));
let written = 0;
const stubSocket = {
  remoteAddress: '127.0.0.1',
  remotePort: 1,
  localAddress: '127.0.0.1',
  localPort: 6379,
  writableLength: 0,
  write(data) {
    written += data.length;
    return true;
  },
  end() {},
  destroy() {},
  pause() {},
  resume() {},
  once() {},
};
const client = server.createClient(stubSocket);

async function main() {
  const bench = new Bench({ time: 1000 });
  bench
    .add('parse 16 pipelined SETs', () => parseAll(set16))
    .add('parse 16 inline PINGs', () => parseAll(inline16))
    .add('encode 16 bulk replies', () => {
      for (let i = 0; i < 16; i++) writer.bulk('some value here');
      writer.take();
    })
    .add('encode 100-element array', () => {
      writer.arrayHeader(100);
      for (let i = 0; i < 100; i++) writer.bulk('xxx');
      writer.take();
    })
    .add('pipeline of 16 SET (parse+execute+reply)', () => client.onData(set16))
    .add('pipeline of 16 GET (parse+execute+reply)', () => client.onData(get16));
  await bench.run();
  const rows = bench.tasks.map((t) => {
    const r = t.result;
    const mean = r.latency ? r.latency.mean : r.mean;
    return { task: t.name, 'ops/s': Math.round(1000 / mean), 'ns per command': Math.round((mean * 1e6) / (t.name.includes('100') ? 100 : 16)) };
  });
  console.table(rows);
  server.close();
  if (written === 0) throw new Error('no replies were written');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
