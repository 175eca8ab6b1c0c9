// English and Russian stay in step: the same keys, and each string the same {placeholders}.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { readFileSync } from 'node:fs';

import { DICTIONARIES } from '../../web/js/i18n.js';

const placeholders = (text) => [...String(text).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('every key exists in both languages', () => {
  const en = Object.keys(DICTIONARIES.en).sort();
  const ru = Object.keys(DICTIONARIES.ru).sort();
  assert.deepEqual(en.filter((k) => !ru.includes(k)), [], 'keys missing in Russian');
  assert.deepEqual(ru.filter((k) => !en.includes(k)), [], 'keys missing in English');
});

test('a string and its translation take the same values', () => {
  const differ = Object.keys(DICTIONARIES.en)
    .filter((key) => key in DICTIONARIES.ru)
    .filter((key) => placeholders(DICTIONARIES.en[key]).join() !== placeholders(DICTIONARIES.ru[key]).join());
  assert.deepEqual(differ, []);
});

test('no string is empty', () => {
  for (const [language, strings] of Object.entries(DICTIONARIES)) {
    for (const [key, text] of Object.entries(strings)) assert.ok(String(text).trim(), `${language} ${key}`);
  }
});

test('the log keys of the forwarded room and the topology switch have words', () => {
  const used = new Set(['log.switch-to-mesh', 'log.switch-to-forwarded', 'log.switch-done-mesh', 'log.switch-done-forwarded']);
  for (const file of ['forwarded.js', 'topology-switch.js']) {
    const source = readFileSync(new URL(`../../web/js/${file}`, import.meta.url), 'utf8');
    for (const [, key] of source.matchAll(/'(log\.[a-z-]+)'/g)) used.add(key);
  }
  assert.deepEqual([...used].filter((key) => !(key in DICTIONARIES.en)), []);
});

test('following a room across nodes is told in words in both languages, never as a code', async () => {
  const { errorText } = await import('../../web/js/error-messages.js');
  for (const code of ['room-elsewhere', 'room-moving']) {
    const [key] = errorText({ code });
    assert.equal(key, `error.${code}`, `${code} has words of its own`);
  }
  for (const key of ['error.room-elsewhere', 'error.room-moving', 'notice.room-moving', 'reconnect.moving', 'log.following', 'log.room-moving']) {
    for (const language of ['en', 'ru']) assert.ok(DICTIONARIES[language][key], `${language} ${key}`);
  }
  const source = readFileSync(new URL('../../web/js/call-session.js', import.meta.url), 'utf8');
  for (const key of ['notice.room-moving', 'reconnect.moving', 'log.following', 'log.room-moving']) {
    assert.ok(source.includes(`'${key}'`), `call-session.js says ${key}`);
  }
});
