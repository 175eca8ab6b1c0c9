// Readable random room ids like "brave-otter-417": easy to say aloud, hard to guess.
const ADJECTIVES = [
  'amber', 'bold', 'brave', 'bright', 'calm', 'clever', 'cosy', 'crisp', 'eager', 'fair',
  'gentle', 'glad', 'golden', 'happy', 'honest', 'jolly', 'keen', 'kind', 'lively', 'lucky',
  'merry', 'mighty', 'neat', 'noble', 'plucky', 'proud', 'quick', 'quiet', 'rapid', 'rosy',
  'shiny', 'silver', 'sunny', 'swift', 'tidy', 'vivid', 'warm', 'wise', 'witty', 'zesty',
];
const ANIMALS = [
  'badger', 'beaver', 'bison', 'crane', 'dolphin', 'eagle', 'falcon', 'ferret', 'finch', 'fox',
  'gecko', 'heron', 'ibis', 'koala', 'lemur', 'lynx', 'marmot', 'moose', 'newt', 'otter',
  'owl', 'panda', 'parrot', 'puffin', 'quail', 'raven', 'robin', 'seal', 'stoat', 'swan',
  'tapir', 'tiger', 'toucan', 'walrus', 'weasel', 'whale', 'wombat', 'wren', 'yak', 'zebra',
];

function randomIndex(length) {
  const buffer = new Uint32Array(1);
  crypto.getRandomValues(buffer);
  return buffer[0] % length;
}

export function randomRoomId() {
  const number = 100 + randomIndex(900);
  return `${ADJECTIVES[randomIndex(ADJECTIVES.length)]}-${ANIMALS[randomIndex(ANIMALS.length)]}-${number}`;
}
