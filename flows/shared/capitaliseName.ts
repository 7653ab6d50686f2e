/**
 * The capitals of a name typed without any ("siti rahma s.pd" prints "Siti Rahma, S.Pd."), for the certificate and
 * the names in a report ("pak sukirman" is kept as "Pak Sukirman"): each
 * name word capitalised, and academic and professional titles in the spelling Indonesian style guides give them
 * (PUEBI: a degree after the name follows a comma and ends with a period). A name with any capital letter was
 * spelled on purpose ("dr. Budi", "McDonald", "van der Berg") and is never changed.
 */
import { ownValue } from '../shared/ownValue.ts';

/** Titles written before the name, by their letters in lower case: "dr." is a physician, as Indonesians write it. */
const BEFORE_NAME: Readonly<Record<string, string>> = {
  dr: 'dr.',
  drg: 'drg.',
  dra: 'Dra.',
  drs: 'Drs.',
  ir: 'Ir.',
  prof: 'Prof.',
  hj: 'Hj.',
  apt: 'apt.',
  ns: 'Ns.',
};

/** Degrees written after the name, by their letters in lower case. */
const AFTER_NAME: Readonly<Record<string, string>> = Object.fromEntries(
  [
    'S.Pd.', 'S.Pd.I.', 'S.Pd.SD.', 'S.H.', 'S.H.I.', 'S.E.', 'S.E.I.', 'S.Kom.', 'S.T.', 'S.Sos.', 'S.Si.', 'S.Ag.',
    'S.Kep.', 'S.Ked.', 'S.Farm.', 'S.Psi.', 'S.IP.', 'S.I.Kom.', 'S.Hut.', 'S.P.', 'S.Pt.', 'S.Th.', 'S.ST.', 'S.Ak.',
    'S.Gz.', 'S.KM.', 'S.AP.', 'S.Hum.', 'S.Sn.', 'S.Ds.', 'S.Pi.', 'S.TP.', 'S.Keb.', 'S.Tr.Kes.', 'S.Kes.', 'S.Fil.',
    'M.Pd.', 'M.Pd.I.', 'M.Si.', 'M.H.', 'M.M.', 'M.Kes.', 'M.Kom.', 'M.T.', 'M.Ag.', 'M.Sc.', 'M.A.', 'M.AP.', 'M.Hum.',
    'M.Ak.', 'M.E.', 'M.Eng.', 'M.Psi.', 'M.IP.', 'M.Sos.', 'M.Kep.', 'M.Farm.', 'M.Kn.', 'M.Han.',
    'A.Md.', 'A.Md.Kep.', 'A.Md.Keb.', 'A.Md.Kes.', 'A.Md.Ak.', 'A.Ma.', 'A.Ma.Pd.',
    'Ph.D.', 'MBA', 'MPA', 'MPH', 'B.Sc.', 'B.A.', 'Lc.', 'Sp.A.', 'Sp.PD.', 'Sp.OG.', 'Sp.B.', 'Sp.M.', 'Sp.KK.',
  ].map((spelling) => [lettersOf(spelling), spelling]),
);

/**
 * Titles also recognised without their points ("sh", "spd", "dr"): the others ("ma" for M.A., "sp" for S.P.) are as
 * likely a name ("Ma") and need a point to be read as a title.
 */
const WITHOUT_POINTS: ReadonlySet<string> = new Set([
  'dr', 'drg', 'dra', 'drs', 'ir', 'prof', 'hj',
  'spd', 'spdi', 'sh', 'se', 'skom', 'st', 'ssos', 'ssi', 'sag', 'skep', 'sked', 'sfarm', 'spsi', 'sip', 'sikom', 'sak',
  'mpd', 'msi', 'mh', 'mm', 'mkes', 'mkom', 'mt', 'mag', 'msc', 'map', 'mhum', 'mak', 'mpsi', 'mkn',
  'amd', 'amdkep', 'amdkeb', 'phd', 'mba', 'mpa', 'mph', 'lc',
]);

/** Words inside a name that stay in lower case ("Rizki bin Abdullah", "Yohanes de Fretes"); never its first word. */
const PARTICLES: ReadonlySet<string> = new Set(['bin', 'binti', 'van', 'der', 'den', 'von', 'de']);

function lettersOf(token: string): string {
  return token.toLowerCase().replace(/\./g, '');
}

/** The usual spelling of a title in `table`, if the token is one (without points only if it is clear without). */
function titleOf(token: string, table: Readonly<Record<string, string>>): string | undefined {
  const letters = lettersOf(token);
  return token.includes('.') || WITHOUT_POINTS.has(letters) ? ownValue(table, letters) : undefined;
}

/** A word with capitals after a space, hyphen or point ("agung-putra" -> "Agung-Putra", "m." -> "M."). */
function capitalised(word: string): string {
  return word.replace(/(^|[-.])(\p{Ll})/gu, (_, before: string, letter: string) => before + letter.toUpperCase());
}

interface Part {
  text: string;
  /** A degree written after the name: a comma comes before it. */
  degree: boolean;
  /** The user put a comma after this word. */
  comma: boolean;
}

/**
 * The name with capitals when it was typed without any; otherwise as typed. A name that would grow past `max`
 * characters with its titles' points and commas only gets its capitals.
 */
export function capitaliseName(name: string, max: number): string {
  if (/\p{Lu}/u.test(name)) return name;
  const parts: Part[] = [];
  let named = false;
  for (const word of name.replace(/\s*,+\s*/g, ', ').split(' ')) {
    const comma = word.endsWith(',');
    const token = comma ? word.slice(0, -1) : word;
    if (token === '') continue;
    const before = named ? undefined : titleOf(token, BEFORE_NAME);
    const after = named ? titleOf(token, AFTER_NAME) : undefined;
    if (before) parts.push({ text: before, degree: false, comma });
    else if (after) parts.push({ text: after, degree: true, comma });
    else {
      parts.push({ text: named && PARTICLES.has(token) ? token : capitalised(token), degree: false, comma });
      named = true;
    }
  }
  const spelled = parts
    .map((part, i) => {
      const previous = parts[i - 1];
      if (!previous) return part.text;
      return (part.degree || previous.comma ? ', ' : ' ') + part.text;
    })
    .join('');
  return [...spelled].length <= max ? spelled : name.split(' ').map(capitalised).join(' ');
}
