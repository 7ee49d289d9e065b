// Where settings and team rules live: chrome.storage.sync (the user's), .managed (the
// administrator's policy), and .local for rules that do not fit sync's quotas. The engine
// (wasm) validates and resolves; this module only moves values in and out of storage.
import { resolveSettings, setTeamRules } from '../engine/adf_troubleshooter.js';

export const SETTING_KEYS = ['surfaces', 'expanded', 'minConfidence', 'theme', 'showCards'];
/** Each rule is its own sync item, so that one rule may use the whole 8 KB per-item quota. */
const RULE_PREFIX = 'rule:';
/** Rules that did not fit sync, all of them, and why (shown on the options page). */
const LOCAL_RULES = 'teamRules';
const LOCAL_NOTE = 'teamRulesNote';

/** The policy's values; {} when no policy applies (or managed storage is unavailable). */
export async function managed() {
  try {
    return (await chrome.storage.managed.get(null)) ?? {};
  } catch {
    return {};
  }
}

/** {settings, pinned, problems}: defaults, the user's choices and the policy, resolved in Rust. */
export async function settings() {
  const [user, policy] = await Promise.all([chrome.storage.sync.get(SETTING_KEYS), managed()]);
  return resolveSettings(user, policy);
}

export async function saveSettings(values) {
  await chrome.storage.sync.set(values);
}

/** The user's rules and where they are kept: {rules, where: 'sync'|'local', note}. */
export async function rules() {
  const local = await chrome.storage.local.get([LOCAL_RULES, LOCAL_NOTE]);
  if (Array.isArray(local[LOCAL_RULES])) {
    return { rules: local[LOCAL_RULES], where: 'local', note: local[LOCAL_NOTE] ?? '' };
  }
  const all = await chrome.storage.sync.get(null);
  const list = Object.entries(all)
    .filter(([key]) => key.startsWith(RULE_PREFIX))
    .map(([, rule]) => rule)
    .sort((a, b) => String(a.id).localeCompare(String(b.id)));
  return { rules: list, where: 'sync', note: '' };
}

/**
 * Stores the user's rules in sync; when sync refuses them (a rule over 8 KB, all over 100 KB,
 * too many writes) all of them go to local storage instead, so none is lost, with the reason.
 * The local copy is written before the sync copies are removed.
 */
export async function saveRules(list) {
  const items = Object.fromEntries(list.map((rule) => [RULE_PREFIX + rule.id, rule]));
  const stored = Object.keys(await chrome.storage.sync.get(null)).filter((key) => key.startsWith(RULE_PREFIX));
  try {
    await chrome.storage.sync.set(items);
    await chrome.storage.sync.remove(stored.filter((key) => !(key in items)));
    await chrome.storage.local.remove([LOCAL_RULES, LOCAL_NOTE]);
    return { where: 'sync', note: '' };
  } catch (error) {
    const note = String(error?.message ?? error);
    await chrome.storage.local.set({ [LOCAL_RULES]: list, [LOCAL_NOTE]: note });
    await chrome.storage.sync.remove([...new Set([...stored, ...Object.keys(items)])]);
    return { where: 'local', note };
  }
}

/** The user's and the policy's rules, as applyRules takes them; reading needs no engine. */
export async function rulesInForce() {
  const [{ rules: list }, policy] = await Promise.all([rules(), managed()]);
  return [list, Array.isArray(policy.teamRules) ? policy.teamRules : []];
}

/** Puts the user's and the policy's rules (read now unless given) in force in this page's engine. */
export async function applyRules(read) {
  const [list, policyRules] = read ?? await rulesInForce();
  return setTeamRules(list, policyRules);
}

/** Whether a storage change concerns rules (the engine must reload them). */
export function touchesRules(changes, area) {
  if (area === 'managed') return true;
  return Object.keys(changes).some((key) => key.startsWith(RULE_PREFIX) || key === LOCAL_RULES);
}
