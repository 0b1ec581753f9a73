#!/usr/bin/env node
/*
 * Applies the patches in this folder to node_modules, at install time
 * (package.json "postinstall"). It has no dependencies so that it also runs
 * for production installs (npm ci --omit=dev), where patch-package (a dev
 * dependency, used to regenerate the patch files) is absent.
 *
 * Patch files are patch-package's: "<package>+<version>.patch" (a scoped
 * package is "@scope+name+version.patch"), git-style unified diffs of
 * node_modules/<package>. A patch already applied is recognised and left
 * alone, so running this twice is harmless. Any other mismatch fails the
 * install: tsredis must not run on an unpatched Lua VM.
 *
 * To change a patch: edit node_modules/<package>, then run
 *   npx patch-package <package>
 */
'use strict';

const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');

/** Splits a unified diff into per-file patches: { file, isNew, hunks: [{ oldStart, lines }] }. */
function parsePatch(text) {
  const lines = text.split('\n');
  const files = [];
  let cur = null;
  let hunk = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('diff --git ')) {
      cur = { file: null, isNew: false, isDeleted: false, hunks: [] };
      files.push(cur);
      hunk = null;
      continue;
    }
    if (cur === null) continue;
    if (hunk === null || !/^[ +\-\\]/.test(line) || line.startsWith('--- ') || line.startsWith('+++ ')) {
      if (line.startsWith('new file mode')) cur.isNew = true;
      else if (line.startsWith('deleted file mode')) cur.isDeleted = true;
      else if (line.startsWith('+++ ')) {
        const p = line.slice(4).trim();
        if (p !== '/dev/null') cur.file = p.replace(/^b\//, '');
      } else if (line.startsWith('--- ')) {
        const p = line.slice(4).trim();
        if (p !== '/dev/null' && cur.file === null) cur.file = p.replace(/^a\//, '');
      } else if (line.startsWith('@@ ')) {
        const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
        if (!m) throw new Error(`bad hunk header: ${line}`);
        hunk = { oldStart: Number(m[1]), lines: [] };
        cur.hunks.push(hunk);
      }
      continue;
    }
    if (line.startsWith('\\')) {
      // "\ No newline at end of file": the previous line has no newline.
      const prev = hunk.lines[hunk.lines.length - 1];
      if (prev) prev.noNewline = true;
      continue;
    }
    hunk.lines.push({ op: line[0], text: line.slice(1) });
  }
  return files;
}

/** Applies hunks to an array of lines (forward or reversed); returns the new lines or null on mismatch. */
function applyHunks(orig, hunks, reverse) {
  const out = [];
  let pos = 0;
  for (const h of hunks) {
    const before = [];
    const after = [];
    for (const l of h.lines) {
      const op = reverse ? (l.op === '+' ? '-' : l.op === '-' ? '+' : l.op) : l.op;
      if (op === ' ' || op === '-') before.push(l.text);
      if (op === ' ' || op === '+') after.push(l.text);
    }
    // Find the hunk's old lines at or after the current position, preferring its stated place.
    const want = Math.max(pos, h.oldStart - 1);
    let at = -1;
    for (let d = 0; d < orig.length + 1 && at < 0; d++) {
      for (const cand of [want + d, want - d]) {
        if (cand < pos || cand + before.length > orig.length) continue;
        let ok = true;
        for (let k = 0; k < before.length; k++) {
          if (orig[cand + k] !== before[k]) {
            ok = false;
            break;
          }
        }
        if (ok) {
          at = cand;
          break;
        }
      }
      if (want + d > orig.length && want - d < pos) break;
    }
    if (at < 0) return null;
    for (let k = pos; k < at; k++) out.push(orig[k]);
    for (const l of after) out.push(l);
    pos = at + before.length;
  }
  for (let k = pos; k < orig.length; k++) out.push(orig[k]);
  return out;
}

function readLines(file) {
  const text = fs.readFileSync(file, 'utf8');
  const hasFinalNewline = text.endsWith('\n');
  const lines = (hasFinalNewline ? text.slice(0, -1) : text).split('\n');
  return { lines: text.length === 0 ? [] : lines, hasFinalNewline };
}

function finalNewline(hunks, reverse) {
  // The last line of the result has no newline if the last kept/added line is marked so.
  let last = null;
  for (const h of hunks) {
    for (const l of h.lines) {
      const op = reverse ? (l.op === '+' ? '-' : l.op === '-' ? '+' : l.op) : l.op;
      if (op === ' ' || op === '+') last = l;
    }
  }
  return last === null ? true : !last.noNewline;
}

/** Works out what patching one file takes: { status, write() } (nothing is written yet). */
function planFilePatch(fp) {
  const target = path.join(root, fp.file);
  if (fp.isNew) {
    const content = fp.hunks.flatMap((h) => h.lines.filter((l) => l.op === '+').map((l) => l.text));
    const text = content.join('\n') + (finalNewline(fp.hunks, false) ? '\n' : '');
    if (fs.existsSync(target)) {
      if (fs.readFileSync(target, 'utf8') === text) return { status: 'already', write() {} };
      throw new Error(`${fp.file}: exists and differs from the patch's new file`);
    }
    return {
      status: 'applied',
      write() {
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, text);
      },
    };
  }
  if (!fs.existsSync(target)) throw new Error(`${fp.file}: file to patch is missing`);
  const { lines } = readLines(target);
  const forward = applyHunks(lines, fp.hunks, false);
  if (forward !== null) {
    if (fp.isDeleted) return { status: 'applied', write: () => fs.unlinkSync(target) };
    const text = forward.join('\n') + (finalNewline(fp.hunks, false) ? '\n' : '');
    return { status: 'applied', write: () => fs.writeFileSync(target, text) };
  }
  if (applyHunks(lines, fp.hunks, true) !== null) return { status: 'already', write() {} };
  throw new Error(`${fp.file}: the patch does not apply (is this the version the patch was made for?)`);
}

function main() {
  const dir = __dirname;
  const patches = fs.readdirSync(dir).filter((f) => f.endsWith('.patch')).sort();
  let failed = false;
  for (const name of patches) {
    const m = /^(.+)\+([^+]+)\.patch$/.exec(name);
    if (!m) continue;
    const pkg = m[1].replace(/\+/g, '/');
    const version = m[2];
    const pkgJson = path.join(root, 'node_modules', pkg, 'package.json');
    if (!fs.existsSync(pkgJson)) {
      console.warn(`[apply-patches] ${pkg} is not installed: ${name} skipped`);
      continue;
    }
    const installed = JSON.parse(fs.readFileSync(pkgJson, 'utf8')).version;
    if (installed !== version) {
      console.error(`[apply-patches] ${name} is for ${pkg}@${version} but ${installed} is installed`);
      failed = true;
      continue;
    }
    try {
      const files = parsePatch(fs.readFileSync(path.join(dir, name), 'utf8'));
      // Check everything first, then write: a half-applied package is worse than none.
      const plans = files.map((fp) => planFilePatch(fp));
      for (const p of plans) p.write();
      const applied = plans.filter((p) => p.status === 'applied').length;
      console.log(`[apply-patches] ${name}: ${applied} file(s) patched, ${plans.length - applied} already patched`);
    } catch (e) {
      console.error(`[apply-patches] ${name}: ${e.message}`);
      failed = true;
    }
  }
  if (failed) process.exit(1);
}

main();
