// Room ids like "lusab-babad-gutih-tugad": four five-letter words that can be read aloud, each
// consonant-vowel-consonant-vowel-consonant ("proquints": 16 consonants and 4 vowels carry
// 4 + 2 + 4 + 2 + 4 = 16 bits), so an id carries 64 random bits. Anyone who knows a room's id
// can join it, so the id must not be guessable: at the server's limit on new rooms per
// address, trying ids at random would take longer than the universe has existed.
const CONSONANTS = 'bdfghjklmnprstvz';
const VOWELS = 'aiou';

// The word for a 16-bit number; different numbers give different words.
export function quint(n) {
  return CONSONANTS[(n >> 12) & 15] + VOWELS[(n >> 10) & 3] + CONSONANTS[(n >> 6) & 15] +
    VOWELS[(n >> 4) & 3] + CONSONANTS[n & 15];
}

// `random16(count)` gives `count` random 16-bit numbers (tests pass their own).
export function randomRoomId(random16 = (count) => crypto.getRandomValues(new Uint16Array(count))) {
  return Array.from(random16(4), quint).join('-');
}
