import { createHash } from 'node:crypto';
import type { CharacterAge, CharacterGender } from '../../ports/catalog.js';

/** "anna_smith-2" → "Anna Smith 2"; keeps any script (Cyrillic names stay Cyrillic). */
export function displayNameFromFile(stem: string): string {
  const words = stem
    .normalize('NFC')
    .replace(/[_\-.]+/g, ' ')
    .trim()
    .split(/\s+/u)
    .filter(Boolean);
  const name = words.map((word) => word.charAt(0).toLocaleUpperCase() + word.slice(1)).join(' ');
  return (name || stem).slice(0, 64);
}

/**
 * A stable id for an imported character: `i-` keeps it apart from starter ids, gender and age
 * keep it readable, and names without Latin letters fall back to a short hash of the name.
 */
export function importedCharacterId(
  gender: CharacterGender,
  age: CharacterAge,
  stem: string,
): string {
  const slug = stem
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 24)
    .replace(/-+$/, '');
  const tail =
    slug || createHash('sha256').update(stem.normalize('NFC')).digest('hex').slice(0, 10);
  return `i-${gender === 'male' ? 'm' : 'f'}-${age}-${tail}`;
}
