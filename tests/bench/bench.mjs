// The npm package against JavaScript HL7 v2 parsers, on the same work as the Rust benchmark:
// for every message of the 20 MB `gen_corpus.py OUT 20 42` corpus, parse it, count its segments
// and read the raw MSH-10, PID-5[1].1 and PID-3[2].4.1. Every library must reach the same
// checksum (segment counts + byte lengths of the three values) before it is timed.
//
//   cd tests/bench && npm install && node bench.mjs
//
// Each library runs in its own Node process, so peak memory (max RSS) is its own. A benchmark,
// not a test: nothing here asserts a time.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const corpusFile = `${root}target/bench/corpus-20mb.hl7`;
const CHECKSUM = 178_739;
const RUNS = 5;

const libraries = {
  async pipehat() {
    const { parse } = await import('pipehat');
    return (line) => {
      const message = parse(line);
      const n = message.segmentCount
        + Buffer.byteLength(message.get('MSH-10', { raw: true }) ?? '')
        + Buffer.byteLength(message.get('PID-5[1].1', { raw: true }) ?? '')
        + Buffer.byteLength(message.get('PID-3[2].4.1', { raw: true }) ?? '');
      message.free();
      return n;
    };
  },
  // The same work through the file API: the corpus crosses into wasm once, and each question
  // is one call for every message.
  async 'pipehat (parseFile)'() {
    const { parseFile } = await import('pipehat');
    return { file: (text) => {
      const file = parseFile(text);
      let sum = file.segmentCounts().reduce((a, b) => a + b, 0);
      for (const path of ['MSH-10', 'PID-5[1].1', 'PID-3[2].4.1']) {
        for (const value of file.values(path, { raw: true })) sum += Buffer.byteLength(value ?? '');
      }
      file.free();
      return sum;
    } };
  },
  async 'simple-hl7'() {
    const { default: hl7 } = await import('simple-hl7');
    const parser = new hl7.Parser();
    const text = (component) => (Array.isArray(component.value[0]) ? component.value[0][0] : component.value[0]);
    return (line) => {
      const message = parser.parse(line);
      const pid = message.segments.find((s) => s.name === 'PID');
      const name = pid.fields[4].value;
      const family = Array.isArray(name[0]) ? text(name[0][0]) : text(name[0].value[0][0]);
      const ids = pid.fields[2].value;
      const authority = ids[1].value[0][3].value[0];
      return message.segments.length + 1
        + Buffer.byteLength(message.header.fields[7].value[0][0].value[0])
        + Buffer.byteLength(family)
        + Buffer.byteLength(Array.isArray(authority) ? authority[0] : authority);
    };
  },
  async '@medplum/core'() {
    const { Hl7Message } = await import('@medplum/core');
    return (line) => {
      const message = Hl7Message.parse(line);
      const pid = message.getSegment('PID');
      return message.segments.length
        + Buffer.byteLength(message.getSegment('MSH').getField(10).toString())
        + Buffer.byteLength(pid.getField(5).getComponent(1, undefined, 0))
        + Buffer.byteLength(pid.getField(3).getComponent(4, 0, 1));
    };
  },
};

async function runOne(name) {
  const corpus = readFileSync(corpusFile, 'utf8');
  const lines = corpus.split('\n').filter((line) => line.length > 0);
  const work = await libraries[name]();
  const pass = typeof work === 'function'
    ? () => {
      let sum = 0;
      for (const line of lines) sum += work(line);
      return sum;
    }
    : () => work.file(corpus);
  const checksum = pass(); // also the warm-up
  if (checksum !== CHECKSUM) throw new Error(`${name}: checksum ${checksum}, expected ${CHECKSUM}`);
  const times = [];
  for (let i = 0; i < RUNS; i += 1) {
    const start = process.hrtime.bigint();
    pass();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const ms = times[Math.floor(RUNS / 2)];
  process.stdout.write(JSON.stringify({
    name,
    messages: lines.length,
    ms,
    mbPerS: Buffer.byteLength(corpus) / 1e6 / (ms / 1000),
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }));
}

if (process.argv[2] === '--run') {
  await runOne(process.argv[3]);
} else {
  if (!existsSync(corpusFile)) {
    mkdirSync(`${root}target/bench`, { recursive: true });
    execFileSync('python3', [`${root}../shared/bench/gen_corpus.py`, corpusFile, '20', '42'], { stdio: 'inherit' });
  }
  const results = Object.keys(libraries).map((name) =>
    JSON.parse(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--run', name], { encoding: 'utf8' })));
  const base = results.find((r) => r.name === 'simple-hl7');
  console.log(`${results[0].messages} messages, checksum ${CHECKSUM} reached by every library; median of ${RUNS} passes\n`);
  console.log('| library | ms per pass | MB/s | × simple-hl7 | peak RSS MB |');
  console.log('|---|---|---|---|---|');
  for (const r of results) {
    console.log(`| ${r.name} | ${r.ms.toFixed(0)} | ${r.mbPerS.toFixed(1)} | ${(base.ms / r.ms).toFixed(2)} | ${r.maxRssMb.toFixed(0)} |`);
  }
}
