import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { CharacterAge, CharacterGender } from '../../ports/catalog.js';

export const genders: readonly CharacterGender[] = ['male', 'female'];
export const ages: readonly CharacterAge[] = ['young', 'adult', 'senior'];
const imageExtensions = new Set(['.png', '.jpg', '.jpeg']);

export interface CharacterFile {
  readonly gender: CharacterGender;
  readonly age: CharacterAge;
  readonly path: string;
  /** Relative to the import folder, for messages. */
  readonly shown: string;
}

export interface ImportLayout {
  readonly characters: readonly CharacterFile[];
  readonly voiceFiles: readonly string[];
  readonly voicesDir: string | undefined;
  readonly problems: readonly string[];
  readonly warnings: readonly string[];
}

export const expectedLayout = [
  'Expected layout:',
  '  <folder>/characters/<male|female>/<young|adult|senior>/<name>.png|jpg',
  '  <folder>/voices/<voice>.json  (+ the preview audio files they name)',
].join('\n');

/**
 * Walks an import folder and sorts what it finds into characters and voice descriptions. Every
 * deviation from the layout is collected, so the operator sees all of them at once; hidden files
 * (.DS_Store, ._ files) are ignored.
 */
export async function readImportLayout(folder: string): Promise<ImportLayout> {
  const problems: string[] = [];
  const warnings: string[] = [];
  const characters: CharacterFile[] = [];
  let voiceFiles: string[] = [];
  let voicesDir: string | undefined;

  const top = await visibleEntries(folder);
  const hasCharacters = top.some((e) => e.name === 'characters' && e.isDirectory());
  const hasVoices = top.some((e) => e.name === 'voices' && e.isDirectory());
  if (!hasCharacters && !hasVoices) {
    problems.push(`${folder} has neither a characters/ nor a voices/ folder`);
    return { characters, voiceFiles, voicesDir, problems, warnings };
  }
  for (const entry of top) {
    if (!['characters', 'voices'].includes(entry.name) || !entry.isDirectory())
      warnings.push(`ignored ${entry.name}: only characters/ and voices/ are imported`);
  }

  if (hasCharacters) {
    const charactersDir = join(folder, 'characters');
    for (const genderEntry of await visibleEntries(charactersDir)) {
      const gender = genders.find((g) => g === genderEntry.name);
      if (!genderEntry.isDirectory() || !gender) {
        problems.push(
          `characters/${genderEntry.name}: expected a folder named ${genders.join(' or ')}`,
        );
        continue;
      }
      for (const ageEntry of await visibleEntries(join(charactersDir, gender))) {
        const age = ages.find((a) => a === ageEntry.name);
        if (!ageEntry.isDirectory() || !age) {
          problems.push(
            `characters/${gender}/${ageEntry.name}: expected a folder named ${ages.join(', ')}`,
          );
          continue;
        }
        for (const file of await visibleEntries(join(charactersDir, gender, age))) {
          const shown = `characters/${gender}/${age}/${file.name}`;
          if (file.isDirectory())
            problems.push(`${shown}: folders are not allowed below the age folder`);
          else if (!imageExtensions.has(extname(file.name).toLowerCase()))
            problems.push(`${shown}: only .png, .jpg and .jpeg images can be imported`);
          else
            characters.push({
              gender,
              age,
              path: join(charactersDir, gender, age, file.name),
              shown,
            });
        }
      }
    }
  }

  if (hasVoices) {
    voicesDir = join(folder, 'voices');
    const entries = await visibleEntries(voicesDir);
    for (const entry of entries.filter((e) => e.isDirectory()))
      problems.push(`voices/${entry.name}: folders are not allowed in voices/`);
    voiceFiles = entries
      .filter((e) => e.isFile() && extname(e.name).toLowerCase() === '.json')
      .map((e) => e.name);
  }
  return { characters, voiceFiles, voicesDir, problems, warnings };
}

async function visibleEntries(dir: string) {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => !e.name.startsWith('.'))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
