// Durations in words and on a clock face, as i18n [key, args] pairs or strings.

// "waited 2 min" / "waited less than a minute".
export function waitedWords(ms) {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  return minutes < 1 ? ['queue.waited-moments', {}] : ['queue.waited', { minutes }];
}

// mm:ss (or h:mm:ss) of what is left, never negative.
export function clockFace(ms) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const two = (n) => String(n).padStart(2, '0');
  return hours > 0 ? `${hours}:${two(minutes)}:${two(seconds)}` : `${two(minutes)}:${two(seconds)}`;
}
