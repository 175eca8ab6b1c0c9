// The visible language choice; the label itself switches language too ("Language"/"Язык").
import { h } from './dom.js';
import { LANGUAGES, currentLanguage, setLanguage, onLanguageChange } from './i18n.js';

export function languageSwitch() {
  const select = h('select', { id: 'lang-select', class: 'select select--compact', 'data-testid': 'lang' },
    LANGUAGES.map(({ code, label }) => h('option', { value: code, lang: code, text: label })));
  select.value = currentLanguage();
  select.addEventListener('change', () => setLanguage(select.value));
  onLanguageChange((code) => { select.value = code; });
  return h('div', { class: 'lang-switch' },
    h('label', { for: 'lang-select', class: 'lang-switch__label', t: 'lang.label' }),
    select);
}
