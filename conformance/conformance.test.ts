/**
 * Differential conformance: every case under conformance/cases runs against
 * tsredis and the real redis-server; replies must match byte for byte.
 */
import * as path from 'node:path';
import { describe, it, expect } from 'vitest';
import { caseFiles, parseCaseFile, runCase } from './harness';
import { bothServers, redisServerAvailable } from '../test/helpers/servers';

const available = redisServerAvailable();
if (!available) {
  console.warn('\n*** conformance: redis-server is not installed; differential tests are SKIPPED ***\n');
}

describe.skipIf(!available)('conformance against real Redis', () => {
  const servers = bothServers();

  // CONFORMANCE=lists,zsets runs only the case files whose names contain one of the words;
  // CONFORMANCE=-lua,-scripting runs all but those.
  const words = (process.env.CONFORMANCE ?? '').split(',').filter((w) => w !== '');
  const only = words.filter((w) => !w.startsWith('-'));
  const except = words.filter((w) => w.startsWith('-')).map((w) => w.slice(1));
  const files = caseFiles().filter((f) => {
    const name = path.basename(f);
    return (only.length === 0 || only.some((w) => name.includes(w))) && !except.some((w) => name.includes(w));
  });
  for (const file of files) {
    describe(path.basename(file), () => {
      for (const c of parseCaseFile(file)) {
        it(c.name, async () => {
          const m = await runCase(c, servers.ours.port, servers.theirs.port);
          if (m) {
            expect.soft(m.actual, `line ${m.line}: ${m.command}`).toBe(m.expected);
          }
          expect(m).toBeNull();
        });
      }
    });
  }
});
