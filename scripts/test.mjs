// `npm test`: unit tests (Vitest), then the production build and the browser tests (Playwright in Debian's chromium).
import { spawnSync } from 'node:child_process';

const steps = [
  ['npx', ['vitest', 'run']],
  ['node', ['scripts/ensure-chromium.mjs']],
  ['npx', ['vite', 'build', '--logLevel', 'warn']],
  ['npx', ['playwright', 'test']],
];
for (const [cmd, args] of steps) {
  console.log(`\n> ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\n${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}
