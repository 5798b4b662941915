/**
 * Content-Security-Policy of the built app. No 'unsafe-eval' and no inline scripts: every script is a file
 * of this origin. 'wasm-unsafe-eval' lets the inference engine compile its hand-written WebAssembly kernels
 * (src/sim/infer/wasm); it allows WebAssembly compilation only, not eval or new Function. Styles set from
 * script (React `style` props, D3) go through the CSSOM, which CSP does not restrict, so style-src needs no
 * 'unsafe-inline'. Images include data: and blob: for the PNG/SVG exports. `frame-ancestors` is left out:
 * browsers ignore it (with a console error) in a <meta> policy.
 */
export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'self'"],
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  'worker-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
};

export const CONTENT_SECURITY_POLICY = Object.entries(CSP_DIRECTIVES)
  .map(([name, sources]) => `${name} ${sources.join(' ')}`)
  .join('; ');
