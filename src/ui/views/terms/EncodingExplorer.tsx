import { useId, useState } from 'react';
import { binaryDigits, boothLikeDigits, MAX_MAGNITUDE, nafDigits, type TermDigit } from '../../../sim/terms';

function digitsText(digits: TermDigit[]): string {
  if (digits.length === 0) return '0';
  return digits.map((d, i) => `${d.sign < 0 ? '−' : i === 0 ? '' : '+'}2^${d.pos}`).join(' ');
}

/** Digit string from the top position down; −1 digits are drawn as an overlined 1 (1̄). */
function SignedDigits({ digits, width }: { digits: TermDigit[]; width: number }) {
  const cells: Array<0 | 1 | -1> = Array.from({ length: width }, () => 0);
  for (const d of digits) if (d.pos < width) cells[width - 1 - d.pos] = d.sign;
  return (
    <span className="inline-flex gap-1">
      {cells.map((c, i) => (
        <span
          key={i}
          className={`inline-block w-3 text-center ${c < 0 ? 'overline' : ''} ${c === 0 ? 'text-slate-500' : 'font-bold'}`}
        >
          {c === 0 ? '0' : '1'}
        </span>
      ))}
    </span>
  );
}

function Row({
  name,
  digits,
  width,
  note,
}: {
  name: string;
  digits: TermDigit[];
  width: number;
  note: string;
}) {
  const value = digits.reduce((a, d) => a + d.sign * 2 ** d.pos, 0);
  return (
    <tr className="border-b border-slate-100 align-top">
      <th scope="row" className="py-1 pr-4 text-left">
        {name}
      </th>
      <td
        className="py-1 pr-4 font-mono"
        title={`digits from 2^${width - 1} down to 2^0; an overlined 1 is −1`}
      >
        <SignedDigits digits={digits} width={width} />
      </td>
      <td className="py-1 pr-4 font-mono" title={`${digitsText(digits)} = ${value}`}>
        {digitsText(digits)}
      </td>
      <td
        className="py-1 pr-4 text-center text-lg font-semibold tabular-nums"
        title={`${note}: ${digits.length} terms`}
      >
        {digits.length}
      </td>
    </tr>
  );
}

/** Type a value, see it in binary, DNNsim's booth-like recoding and NAF, with term counts. */
export function EncodingExplorer() {
  const id = useId();
  const [text, setText] = useState('119');
  const parsed = Number(text);
  const valid = text.trim() !== '' && Number.isInteger(parsed) && Math.abs(parsed) <= MAX_MAGNITUDE;
  const m = valid ? Math.abs(parsed) : 0;
  const width = Math.max(8, m > 0 ? Math.floor(Math.log2(m)) + 2 : 8);
  return (
    <section>
      <h3 className="text-lg font-semibold">Encoding explorer</h3>
      <div className="my-2 flex items-center gap-3">
        <label htmlFor={id}>Value (integer, |v| ≤ {MAX_MAGNITUDE}; the sign is free)</label>
        <input
          id={id}
          className="w-32 rounded border border-slate-400 px-2 py-1 font-mono text-lg"
          inputMode="numeric"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-invalid={!valid}
          aria-describedby={valid ? undefined : `${id}-err`}
        />
      </div>
      {!valid && (
        <p id={`${id}-err`} role="alert" className="text-red-900">
          Enter a whole number between −{MAX_MAGNITUDE} and {MAX_MAGNITUDE}.
        </p>
      )}
      {valid && (
        <table className="text-base">
          <thead>
            <tr className="text-left text-sm text-slate-600">
              <th className="pr-4 font-normal">encoding</th>
              <th className="pr-4 font-normal">digits</th>
              <th className="pr-4 font-normal">terms</th>
              <th className="pr-4 font-normal">count</th>
            </tr>
          </thead>
          <tbody>
            <Row
              name="binary (popcount)"
              digits={binaryDigits(m)}
              width={width}
              note="one term per one bit"
            />
            <Row
              name="booth-like (DNNsim)"
              digits={boothLikeDigits(m)}
              width={width}
              note="runs of ≥ 3 ones become +2^(top+1) − 2^bottom"
            />
            <Row
              name="NAF (minimal)"
              digits={nafDigits(m)}
              width={width}
              note="non-adjacent form, fewest signed digits"
            />
          </tbody>
        </table>
      )}
    </section>
  );
}
