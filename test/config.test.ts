/**
 * The configuration system: value parsing as Redis does it, config-file and
 * command-line loading with redis-server's fatal messages, CONFIG SET's
 * all-or-nothing rule, CONFIG REWRITE keeping the file's structure.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it, expect, afterAll } from 'vitest';
import {
  Config,
  ConfigError,
  DIRECTIVES,
  argvToConfigText,
  formatMemoryForRewrite,
  normalizeNotifyFlags,
  parseMemoryBig,
  parseStrictInt,
} from '../src/config/config';
import { startTsredis, type TsredisHandle } from './helpers/servers';
import { RawConnection } from './helpers/resp';

const V = '7.0.15';

function loadError(text: string): string {
  const c = new Config();
  try {
    c.load(text, V);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a config error');
}

function fatal(line: number, text: string, msg: string): string {
  return `\n*** FATAL CONFIG FILE ERROR (Redis ${V}) ***\nReading the configuration file, at line ${line}\n>>> '${text}'\n${msg}`;
}

const tmpDirs: string[] = [];
function tmpDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tsredis-config-'));
  tmpDirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('value parsing', () => {
  it('parses integers as string2ll does', () => {
    expect(parseStrictInt('0')).toBe(0n);
    expect(parseStrictInt('-12')).toBe(-12n);
    expect(parseStrictInt('9223372036854775807')).toBe(9223372036854775807n);
    for (const bad of ['', '+1', '01', '-0', ' 1', '1 ', '1.0', '1e3', '9223372036854775808', 'abc']) {
      expect(parseStrictInt(bad), bad).toBeNull();
    }
  });

  it('parses memory values as memtoull does', () => {
    expect(parseMemoryBig('1k')).toBe(1000n);
    expect(parseMemoryBig('1kb')).toBe(1024n);
    expect(parseMemoryBig('1KB')).toBe(1024n);
    expect(parseMemoryBig('2mb')).toBe(2n * 1024n * 1024n);
    expect(parseMemoryBig('3G')).toBe(3000000000n);
    expect(parseMemoryBig('5b')).toBe(5n);
    expect(parseMemoryBig('')).toBe(0n);
    expect(parseMemoryBig('kb')).toBe(0n);
    expect(parseMemoryBig('007')).toBe(7n);
    expect(parseMemoryBig('18446744073709551616')).toBe(18446744073709551615n);
    // strtoull saturates, then the unit multiplication wraps as unsigned C arithmetic does.
    expect(parseMemoryBig('99999999999999999999999gb')).toBe(18446744072635809792n);
    for (const bad of ['-1', '+5', ' 5', '5 k', '1.5mb', '0x10', '5bb', '5tb']) expect(parseMemoryBig(bad), bad).toBeNull();
  });

  it('formats memory for CONFIG REWRITE with the largest exact unit', () => {
    expect(formatMemoryForRewrite(0n)).toBe('0');
    expect(formatMemoryForRewrite(1000n)).toBe('1000');
    expect(formatMemoryForRewrite(1024n)).toBe('1kb');
    expect(formatMemoryForRewrite(3n * 1024n * 1024n)).toBe('3mb');
    expect(formatMemoryForRewrite(2n * 1024n * 1024n * 1024n)).toBe('2gb');
  });

  it('normalizes keyspace event flags as CONFIG GET shows them', () => {
    expect(normalizeNotifyFlags('KEA')).toBe('AKE');
    expect(normalizeNotifyFlags('Ex')).toBe('xE');
    expect(normalizeNotifyFlags('Kg$lshzxetd')).toBe('AK');
    expect(normalizeNotifyFlags('KEg$lshzxetdmn')).toBe('AKEm');
    expect(normalizeNotifyFlags('n$')).toBe('$n');
    expect(normalizeNotifyFlags('mn')).toBe('nm');
    expect(normalizeNotifyFlags('')).toBe('');
  });

  it('declares every directive once, with a default its own parser accepts', () => {
    const seen = new Set<string>();
    const c = new Config();
    for (const d of DIRECTIVES) {
      for (const n of [d.name, ...(d.aliases ?? [])]) {
        expect(seen.has(n), n).toBe(false);
        seen.add(n);
      }
      if (d.name === 'dir' || d.name === 'replicaof') continue;
      const args = d.multiArg ? (d.default === '' ? [] : d.default.split(' ')) : [d.default];
      const r = c.parseValue(d, args);
      expect(r, d.name).toEqual({ value: d.default });
    }
  });
});

describe('config file and command line', () => {
  it('turns command-line options into config lines the way redis-server does', () => {
    expect(argvToConfigText(['--port', '7000'])).toEqual({ file: null, stdin: false, text: 'port "7000" ' });
    expect(argvToConfigText(['/etc/r.conf', '--port', '1', '2']).text).toBe('port "1" "2" ');
    expect(argvToConfigText(['/etc/r.conf']).file).toBe('/etc/r.conf');
    expect(argvToConfigText(['-']).stdin).toBe(true);
    expect(argvToConfigText(['/etc/r.conf', '-']).stdin).toBe(true);
    // A name-only option takes the next "--x" as its value, except --save which then means save "".
    expect(argvToConfigText(['--requirepass', '--foo']).text).toBe('requirepass "--foo" ');
    expect(argvToConfigText(['--save', '--port', '1']).text).toBe('save ""\nport "1" ');
    expect(argvToConfigText(['--save']).text).toBe('save ""');
    expect(argvToConfigText(['--port 1', '--foo']).text).toBe('port 1 \nfoo ');
    expect(argvToConfigText(['--maxmemory', '1gb', '--bind', '127.0.0.1', '::1']).text).toBe('maxmemory "1gb" \nbind "127.0.0.1" "::1" ');
    expect(argvToConfigText(['--requirepass', 'a"b\\c']).text).toBe('requirepass "a\\"b\\\\c" ');
  });

  it('reports fatal errors with the line and Redis wording', () => {
    expect(loadError('\nport "abc"')).toBe(fatal(2, 'port "abc"', "argument couldn't be parsed into an integer"));
    expect(loadError('\nfoo "bar"')).toBe(fatal(2, 'foo "bar"', 'Bad directive or wrong number of arguments'));
    expect(loadError('\nport')).toBe(fatal(2, 'port', 'wrong number of arguments'));
    expect(loadError('\nport "1" "2"')).toBe(fatal(2, 'port "1" "2"', 'wrong number of arguments'));
    expect(loadError('\nmaxmemory "10x"')).toBe(fatal(2, 'maxmemory "10x"', 'argument must be a memory value'));
    expect(loadError('\nloglevel "loud"')).toBe(fatal(2, 'loglevel "loud"', 'argument(s) must be one of the following: debug, verbose, notice, warning'));
    expect(loadError('\ndaemonize "maybe"')).toBe(fatal(2, 'daemonize "maybe"', "argument must be 'yes' or 'no'"));
    expect(loadError('\nsave "100" "1"\nsave "200"')).toBe(fatal(3, 'save "200"', 'Invalid save parameters'));
    expect(loadError('\nport "70000"')).toBe(fatal(2, 'port "70000"', 'argument must be between 0 and 65535 inclusive'));
    expect(loadError('\nreplicaof "a"')).toBe(fatal(2, 'replicaof "a"', 'wrong number of arguments'));
    expect(loadError('\ndbfilename "a/b"')).toBe(fatal(2, 'dbfilename "a/b"', "dbfilename can't be a path, just a filename"));
    expect(loadError('\nappendfilename ""')).toBe(fatal(2, 'appendfilename ""', "appendfilename can't be empty"));
    expect(loadError('  port   "abc"  ')).toBe(fatal(1, 'port   "abc"', "argument couldn't be parsed into an integer"));
    expect(loadError('port "abc')).toBe(fatal(1, 'port "abc', 'Unbalanced quotes in configuration line'));
    expect(loadError('# comment\n\nport 1\nnotify-keyspace-events Q')).toBe(
      fatal(4, 'notify-keyspace-events Q', "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."),
    );
    expect(loadError('client-output-buffer-limit normal 1 2')).toBe(
      fatal(1, 'client-output-buffer-limit normal 1 2', 'Wrong number of arguments in buffer limit configuration.'),
    );
  });

  it('accepts directives Redis 7.0 ignores and those that are not settings', () => {
    const c = new Config();
    c.load('list-max-ziplist-entries 512\nlua-replicate-commands yes\nrename-command FLUSHALL ""\nuser alice on >pw ~* +@all\nsentinel', V);
    expect(c.renamedCommands).toEqual([['FLUSHALL', '', 3, 'rename-command FLUSHALL ""']]);
    expect(c.userDirectives).toEqual([['alice', 'on', '>pw', '~*', '+@all']]);
    expect(loadError('sentinel monitor m 127.0.0.1 6379 2')).toContain('sentinel directive while not in sentinel mode');
    expect(loadError('mymodule.opt 1')).toContain('Module configuration detected without loadmodule directive');
  });

  it('accumulates save lines in a file and replaces the defaults', () => {
    const c = new Config();
    expect(c.get('save')).toBe('3600 1 300 100 60 10000');
    c.load('save 900 1\nsave 300 10', V);
    expect(c.get('save')).toBe('900 1 300 10');
    const d = new Config();
    d.load('save ""', V);
    expect(d.get('save')).toBe('');
  });

  it('merges client-output-buffer-limit classes', () => {
    const c = new Config();
    c.load('client-output-buffer-limit pubsub 1mb 2mb 10\nclient-output-buffer-limit replica 0 0 0', V);
    expect(c.get('client-output-buffer-limit')).toBe('normal 0 0 0 slave 0 0 0 pubsub 1048576 2097152 10');
  });

  it('follows include directives, with globs', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'a.conf'), 'timeout 11\n');
    fs.writeFileSync(path.join(dir, 'b.conf'), 'hz 20\n');
    const c = new Config();
    c.load(`include ${path.join(dir, '*.conf')}\nmaxmemory 1mb`, V);
    expect(c.get('timeout')).toBe('11');
    expect(c.get('hz')).toBe('20');
    expect(c.get('maxmemory')).toBe('1048576');
    expect(() => c.load(`include ${path.join(dir, 'none.conf')}`, V)).toThrow(/Fatal error, can't open config file '.*none.conf': No such file or directory/);
    const e = new Config();
    e.load(`include ${path.join(dir, 'nothing-*.conf')}`, V);
  });

  it('checks dir exists', () => {
    expect(loadError('dir /nonexistent/xyz')).toBe(fatal(1, 'dir /nonexistent/xyz', 'No such file or directory'));
    const c = new Config();
    const dir = tmpDir();
    c.load(`dir ${dir}`, V);
    expect(c.get('dir')).toBe(dir);
  });

  it('clamps hz and the replication backlog as Redis applies them', () => {
    const c = new Config();
    c.load('hz 0\nrepl-backlog-size 1', V);
    expect(c.get('hz')).toBe('1');
    expect(c.get('repl-backlog-size')).toBe('16384');
    c.load('hz 100000', V);
    expect(c.get('hz')).toBe('500');
  });
});

describe('CONFIG SET semantics', () => {
  it('applies every pair or none, reporting the first failing argument', () => {
    const c = new Config();
    const changed: string[] = [];
    c.onChange = (n) => changed.push(n);
    expect(c.setFromCommand([['maxmemory', '1mb'], ['timeout', 'abc']], false)).toBe(
      "ERR CONFIG SET failed (possibly related to argument 'timeout') - argument couldn't be parsed into an integer",
    );
    expect(c.get('maxmemory')).toBe('0');
    expect(changed).toEqual([]);
    expect(c.setFromCommand([['maxmemory', '1mb'], ['timeout', '5'], ['loglevel', 'verbose']], false)).toBeNull();
    expect(c.get('maxmemory')).toBe('1048576');
    expect(changed).toEqual(['maxmemory', 'timeout', 'loglevel']);
  });

  it('refuses immutable, protected, unknown and duplicate parameters', () => {
    const c = new Config();
    expect(c.setFromCommand([['daemonize', 'no']], false)).toBe("ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config");
    expect(c.setFromCommand([['dir', '/tmp']], false)).toBe("ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config");
    expect(c.setFromCommand([['dir', os.tmpdir()]], true)).toBeNull();
    expect(c.setFromCommand([['foo', 'bar']], false)).toBe("ERR Unknown option or number of arguments for CONFIG SET - 'foo'");
    expect(c.setFromCommand([['maxmemory', '1'], ['MAXMEMORY', '2']], false)).toBe(
      "ERR CONFIG SET failed (possibly related to argument 'MAXMEMORY') - duplicate parameter",
    );
    // An alias is a different parameter for the duplicate check.
    expect(c.setFromCommand([['slave-read-only', 'yes'], ['replica-read-only', 'no']], false)).toBeNull();
    expect(c.get('replica-read-only')).toBe('no');
  });

  it('rolls back when the apply hook fails', () => {
    const c = new Config();
    c.applyHook = (names) => (names.includes('port') && c.get('port') === '1' ? 'ERR CONFIG SET failed (possibly related to argument \'port\') - Unable to listen on this port. Check server logs.' : null);
    expect(c.setFromCommand([['timeout', '9'], ['port', '1']], false)).toMatch(/Unable to listen/);
    expect(c.get('timeout')).toBe('0');
    expect(c.get('port')).toBe('6379');
  });

  it('matches CONFIG GET patterns case-insensitively, hidden ones only by name', () => {
    const c = new Config();
    const names = c.getMatching(['MAXMEMORY*']).map(([n]) => n).sort();
    expect(names).toEqual(['maxmemory', 'maxmemory-clients', 'maxmemory-eviction-tenacity', 'maxmemory-policy', 'maxmemory-samples']);
    expect(c.getMatching(['*delay*']).map(([n]) => n).sort()).toEqual(['repl-disable-tcp-nodelay', 'repl-diskless-sync-delay']);
    expect(c.getMatching(['key-load-delay'])).toEqual([['key-load-delay', '0']]);
    expect(c.getMatching(['Timeout', 'timeout'])).toEqual([
      ['Timeout', '0'],
      ['timeout', '0'],
    ]);
    expect(c.getMatching(['timeout', 'timeout', 'time*'])).toEqual([['timeout', '0']]);
  });
});

describe('CONFIG REWRITE', () => {
  it('keeps comments and unknown lines, rewrites in place, appends the rest, blanks stale lines', () => {
    const c = new Config();
    const old = [
      '# top comment',
      'port 7000',
      '',
      '',
      '# another',
      'save 100 1',
      'save 200 2',
      'include /etc/redis/extra.conf',
      'rename-command DEBUG ""',
      'maxmemory 1mb',
      'slave-read-only yes',
      'loglevel notice',
      'timeout 5',
      '',
    ].join('\n');
    c.load(old.replace('include /etc/redis/extra.conf\n', ''), V);
    c.setFromCommand([['maxmemory', '2gb'], ['slave-read-only', 'no'], ['hz', '20'], ['notify-keyspace-events', 'KEA'], ['timeout', '0']], false);
    c.setFromCommand([['save', '']], false);
    const out = c.rewriteContent(old, { users: ['default on nopass ~* &* +@all'] });
    const lines = out.split('\n');
    expect(lines.slice(0, 12)).toEqual([
      '# top comment',
      'port 7000',
      '',
      '# another',
      'save ""',
      '',
      'include /etc/redis/extra.conf',
      'rename-command DEBUG ""',
      'maxmemory 2gb',
      'replica-read-only no',
      'loglevel notice',
      'timeout 0',
    ]);
    expect(out).toContain('\n# Generated by CONFIG REWRITE\n');
    expect(out).toContain('\nhz 20\n');
    expect(out).toContain('\nnotify-keyspace-events "AKE"\n');
    expect(out).toContain('\nuser default on nopass ~* &* +@all\n');
    // Defaults not in the file stay out of it.
    expect(out).not.toContain('tcp-keepalive');
    // The result loads back to the same values.
    const back = new Config();
    back.load(out.replace('include /etc/redis/extra.conf\n', ''), V);
    for (const n of ['maxmemory', 'replica-read-only', 'hz', 'notify-keyspace-events', 'save', 'timeout', 'port']) expect(back.get(n), n).toBe(c.get(n));
  });

  it('comments out lines it cannot parse and signs once', () => {
    const c = new Config();
    const out1 = c.rewriteContent('port "unbalanced\nhz 10\n');
    expect(out1.split('\n')[0]).toBe('# ??? port "unbalanced');
    c.setFromCommand([['timeout', '3']], false);
    const out2 = c.rewriteContent(out1);
    expect(out2.match(/# Generated by CONFIG REWRITE/g)?.length).toBe(1);
  });

  it('works through the command on a server started with a file', async () => {
    const dir = tmpDir();
    const file = path.join(dir, 'redis.conf');
    fs.writeFileSync(file, '# my settings\nmaxmemory 1mb\n');
    const t: TsredisHandle = await startTsredis(['maxmemory 1mb']);
    try {
      const conn = await RawConnection.connect(t.port);
      expect(await conn.call('CONFIG', 'REWRITE')).toBe('-ERR The server is running without a config file\r\n');
      t.server.config.configFile = file;
      expect(await conn.call('CONFIG', 'SET', 'maxmemory', '3mb', 'timeout', '42')).toBe('+OK\r\n');
      expect(await conn.call('CONFIG', 'REWRITE')).toBe('+OK\r\n');
      const text = fs.readFileSync(file, 'latin1');
      expect(text.startsWith('# my settings\nmaxmemory 3mb\n')).toBe(true);
      expect(text).toMatch(/\ntimeout 42\n/);
      expect(text).toMatch(/\ndir ".*"\n/);
      expect(text).toMatch(/\nsave ""\n/);
      fs.chmodSync(dir, 0o500);
      try {
        if (process.getuid?.() !== 0) expect(await conn.call('CONFIG', 'REWRITE')).toBe('-ERR Rewriting config file: Permission denied\r\n');
      } finally {
        fs.chmodSync(dir, 0o700);
      }
      conn.close();
    } finally {
      await t.stop();
    }
  });
});
