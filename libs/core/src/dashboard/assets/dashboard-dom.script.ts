/**
 * Browser module `/ops/assets/dom.js`: building elements, translating, formatting. Elements are
 * built with text nodes only (never innerHTML), so nothing an agency or a citizen typed can
 * become markup on an operator's screen.
 */
export const DASHBOARD_DOM_JS = String.raw`import { MESSAGES } from './messages.js';

const LANGUAGE_KEY = 'bridge.ops.language';
let language = localStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'vi';

export function currentLanguage() {
  return language;
}

export function setLanguage(next) {
  language = next === 'en' ? 'en' : 'vi';
  localStorage.setItem(LANGUAGE_KEY, language);
  document.documentElement.lang = language;
  translateStatic();
}

/** The message of a key in the current language, with {placeholders} filled in. */
export function t(key, params) {
  const table = MESSAGES[language] || MESSAGES.vi;
  const text = table[key] !== undefined ? table[key] : MESSAGES.vi[key] !== undefined ? MESSAGES.vi[key] : key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (params[name] === undefined ? whole : String(params[name])));
}

/** A translation that falls back to the raw value when the dictionary has no such key. */
export function tOr(key, fallback) {
  const table = MESSAGES[language] || MESSAGES.vi;
  return table[key] !== undefined ? table[key] : fallback;
}

/** Rewrites every element marked with data-i18n / data-i18n-placeholder. */
export function translateStatic() {
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-placeholder]'))
    el.setAttribute('placeholder', t(el.dataset.i18nPlaceholder));
  document.title = t('app.title') + ' – ' + t('app.subtitle');
}

/** h('td', { class: 'x', onclick: fn }, 'text', otherElement) */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of an element. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

function locale() {
  return language === 'en' ? 'en-GB' : 'vi-VN';
}

/** Date and time in Vietnam's zone, whatever the operator's machine says. */
export function formatDateTime(value) {
  if (!value) return t('common.none');
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return new Intl.DateTimeFormat(locale(), {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
    timeZone: 'Asia/Ho_Chi_Minh',
  }).format(date);
}

export function formatDate(value) {
  if (!value) return t('common.none');
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return new Intl.DateTimeFormat(locale(), {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    timeZone: 'Asia/Ho_Chi_Minh',
  }).format(date);
}

export function formatTime(date) {
  return new Intl.DateTimeFormat(locale(), { timeStyle: 'medium', timeZone: 'Asia/Ho_Chi_Minh' }).format(date);
}

export function formatNumber(value) {
  return typeof value === 'number' ? new Intl.NumberFormat(locale()).format(value) : t('common.none');
}

export function formatMs(value) {
  if (typeof value !== 'number') return t('common.none');
  return value >= 1000 ? (value / 1000).toFixed(1) + ' s' : Math.round(value) + ' ms';
}

/** onTimeRate is a fraction 0..1 (a value above 1 is taken as a percentage already). */
export function formatRate(value) {
  if (typeof value !== 'number') return t('common.none');
  const percent = value > 1 ? value : value * 100;
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 }).format(percent) + ' %';
}
`;
