import { benchUi } from './ui';
const r = await benchUi({
  port: 4174,
  skipBuild: false,
  schemes: ['twn', 'binary'],
  frameSeconds: 5,
  log: console.log,
});
console.log(JSON.stringify(r, null, 1));
