// The options page: settings (what the administrator pinned is shown and locked), team rules
// (form, Markdown or JSON import, JSON export) and the list of known problems. The engine
// validates; this page only shows its answers and stores what it accepted.
import init, { entries, validateRules, importMarkdown } from './engine/adf_troubleshooter.js';
import * as store from './shared/store.js';

const t = (key, ...substitutions) => chrome.i18n.getMessage(key, substitutions) || key;
const $ = (id) => document.getElementById(id);
const saved = $('saved');
const form = $('rule-form');
const problemsBox = $('rule-problems');
const LIST_FIELDS = { codes: /\n/, messages: /\n/, keywords: /[\n,]/, steps: /\n/ };

await init();
let resolved = await store.settings();
let policy = await store.managed();

// --- Settings -----------------------------------------------------------------------------

const controls = [...document.querySelectorAll('[data-setting]')];
const read = (path, from) => path.split('.').reduce((value, key) => value?.[key], from);

function showSettings() {
  for (const control of controls) {
    const path = control.dataset.setting;
    const value = read(path, resolved.settings);
    if (control.type === 'checkbox') control.checked = value;
    else control.value = String(value);
    const pinned = resolved.pinned.includes(path);
    control.disabled = pinned;
    const label = control.closest('p');
    label.querySelector('.pinned')?.remove();
    if (pinned) {
      const mark = document.createElement('span');
      mark.className = 'pinned';
      mark.textContent = t('optionsPinned');
      label.append(mark);
    }
  }
  $('managed-note').hidden = resolved.pinned.length === 0;
  // This page follows the chosen theme too.
  if (resolved.settings.theme === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = resolved.settings.theme;
}

for (const control of controls) {
  control.addEventListener('change', async () => {
    const path = control.dataset.setting;
    const value = control.type === 'checkbox' ? control.checked
      : path === 'expanded' ? control.value === 'true' : control.value;
    if (path.startsWith('surfaces.')) {
      const { surfaces = {} } = await chrome.storage.sync.get('surfaces');
      await store.saveSettings({ surfaces: { ...surfaces, [path.slice(9)]: value }, showCards: true });
    } else {
      await store.saveSettings({ [path]: value });
    }
    resolved = await store.settings();
    showSettings();
    saved.textContent = t('optionsSaved');
  });
}
showSettings();

// --- Team rules ---------------------------------------------------------------------------

let userRules = (await store.rules()).rules;

function showStorage({ where, note }) {
  const box = $('rules-storage-note');
  box.hidden = where !== 'local';
  box.textContent = where === 'local' ? t('rulesLocalNote', note) : '';
}

function showRules() {
  const list = $('rules-list');
  list.replaceChildren();
  const managedRules = Array.isArray(policy.teamRules) ? policy.teamRules : [];
  for (const [rule, managed] of [...managedRules.map((r) => [r, true]), ...userRules.map((r) => [r, false])]) {
    const li = document.createElement('li');
    li.dataset.rule = String(rule.id);
    const title = document.createElement('strong');
    title.textContent = String(rule.title ?? rule.id);
    li.append(title, document.createTextNode(` (${rule.id})`));
    if (managed) {
      const mark = document.createElement('span');
      mark.className = 'pinned';
      mark.textContent = t('rulesManaged');
      li.append(mark);
    } else {
      const edit = document.createElement('button');
      edit.type = 'button';
      edit.className = 'secondary';
      edit.textContent = t('rulesEdit');
      edit.setAttribute('aria-label', `${t('rulesEdit')}: ${rule.id}`);
      edit.addEventListener('click', () => fillForm(rule));
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'secondary';
      remove.textContent = t('rulesDelete');
      remove.setAttribute('aria-label', `${t('rulesDelete')}: ${rule.id}`);
      remove.addEventListener('click', () => storeRules(userRules.filter((r) => r.id !== rule.id)));
      li.append(edit, remove);
    }
    list.append(li);
  }
}

function showProblems(problems) {
  problemsBox.replaceChildren();
  for (const field of form.elements) {
    field.removeAttribute('aria-invalid');
    field.removeAttribute('aria-describedby');
  }
  problems.forEach((problem, index) => {
    const p = document.createElement('p');
    p.className = 'problem';
    p.id = `problem-${index}`;
    p.textContent = problem.text;
    problemsBox.append(p);
    // The form field the problem is about: `messages[1]` is the messages box.
    const field = form.elements[problem.field?.split('[')[0]];
    if (field && problem.source === 'form') {
      field.setAttribute('aria-invalid', 'true');
      field.setAttribute('aria-describedby', p.id);
    }
  });
}

async function storeRules(list) {
  userRules = list;
  showStorage(await store.saveRules(list));
  showRules();
}

/** Adds rules (replacing those with the same id), keeping only what the engine accepts. */
async function addRules(rules, problems) {
  const byId = new Map(userRules.map((rule) => [rule.id, rule]));
  for (const rule of rules) byId.set(rule.id, rule);
  const checked = validateRules([...byId.values()]);
  showProblems([...problems, ...checked.problems]);
  await storeRules(checked.rules);
  saved.textContent = t('rulesSaved', String(rules.length));
}

function formRule() {
  const rule = {};
  for (const field of form.elements) {
    if (!field.name) continue;
    const split = LIST_FIELDS[field.name];
    rule[field.name] = split
      ? field.value.split(split).map((v) => v.trim()).filter(Boolean)
      : field.value.trim();
  }
  return rule;
}

function fillForm(rule) {
  for (const field of form.elements) {
    if (!field.name) continue;
    const value = rule[field.name] ?? '';
    field.value = Array.isArray(value) ? value.join('\n') : String(value);
  }
  form.elements.id.focus();
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const checked = validateRules([formRule()]);
  if (checked.problems.length) {
    showProblems(checked.problems.map((p) => ({ ...p, source: 'form' })));
    form.querySelector('[aria-invalid]')?.focus();
    return;
  }
  await addRules(checked.rules, []);
  form.reset();
});

$('import').addEventListener('change', async (event) => {
  const rules = [];
  const problems = [];
  for (const file of event.target.files) {
    const text = await file.text();
    let answer;
    if (/\.json$/i.test(file.name)) {
      try {
        answer = validateRules(JSON.parse(text));
      } catch (error) {
        answer = { rules: [], problems: [{ text: t('rulesNotJson', String(error.message)) }] };
      }
    } else {
      answer = importMarkdown(text);
    }
    rules.push(...answer.rules);
    problems.push(...answer.problems.map((p) => ({ ...p, text: `${file.name}: ${p.text}` })));
  }
  event.target.value = '';
  await addRules(rules, problems);
});

$('export').addEventListener('click', () => {
  const json = JSON.stringify({ format: 'adf-troubleshooter-team-rules', version: 1, rules: userRules }, null, 2);
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
  link.download = 'team-rules.json';
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
});

showStorage(await store.rules());
showRules();

chrome.storage.onChanged.addListener(async (changes, area) => {
  if (area !== 'managed') return;
  policy = await store.managed();
  resolved = await store.settings();
  showSettings();
  showRules();
});

// --- Known problems -----------------------------------------------------------------------

const list = entries();
$('count').textContent = t('optionsCount', String(list.length));
const ul = $('entries');
for (const entry of list) {
  const link = document.createElement('a');
  link.href = entry.source;
  link.target = '_blank';
  link.rel = 'noopener noreferrer';
  link.textContent = entry.title;
  const li = document.createElement('li');
  li.append(link);
  ul.append(li);
}
