// The minimal page: loads the wasm core, runs the default spec, shows what each method reached.
// Values from the core are inserted as text, never as HTML.
import init, { run, defaultSpec } from './pkg/steepest.js';

const status = document.getElementById('status');

function row(cells) {
  const tr = document.createElement('tr');
  for (const [text, cls] of cells) {
    const td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    tr.append(td);
  }
  return tr;
}

try {
  await init();
  const spec = defaultSpec();
  const result = run(spec);
  const body = document.querySelector('#results tbody');
  for (const m of result.methods) {
    const last = m.f[m.f.length - 1];
    body.append(row([[m.label], [m.message], [String(m.stopped_at), 'num'], [last.toExponential(3), 'num']]));
  }
  document.getElementById('results').hidden = false;
  const p = result.spec.problem;
  status.textContent = `d = ${result.problem.d} quadratic, ${p.outliers} outlier eigenvalues at ${p.lambda_max} above a bulk at ${p.lambda_min}, rotation ${p.rotation}.`;
  window.steepestResult = result; // for tests and the curious
} catch (e) {
  status.textContent = `Error: ${e.message}`;
  status.className = 'error';
}
