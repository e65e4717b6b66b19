// The "Providers and fallback" panel: the fallback chains from /actuator/llmix, an outage switch per simulated vendor
// (/api/simulator/outages), and who answered the last chat call (its CallResponse's provider, model and attempts).
// Kept apart from dashboard.js on purpose: it only reads the chat panel's "Last response" text.
(function () {
  'use strict';
  const VENDORS = ['openai', 'anthropic'];
  const $ = (id) => document.getElementById(id);

  async function call(method, url, body) {
    const init = {method, headers: {'Accept': 'application/json'}};
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const res = await fetch(url, init);
    if (!res.ok) {
      throw new Error(method + ' ' + url + ': HTTP ' + res.status);
    }
    return res.json();
  }

  function renderChains(report) {
    const chains = report.fallbacks || {};
    const keys = Object.keys(chains);
    const el = $('fallback-chains');
    el.textContent = '';
    if (keys.length === 0) {
      el.textContent = 'No fallback chain configured.';
      return;
    }
    for (const key of keys) {
      const li = document.createElement('li');
      const steps = chains[key].map((a) => (a.preset ? 'preset ' + a.preset + ' ' : '')
          + (a.provider || '') + (a.model ? '/' + a.model : ''));
      li.textContent = key + ' → ' + steps.join(' → ');
      el.appendChild(li);
    }
  }

  function renderOutages(down) {
    const el = $('fallback-outages');
    el.textContent = '';
    for (const vendor of VENDORS) {
      const isDown = down.includes(vendor);
      const button = document.createElement('button');
      button.type = 'button';
      button.id = 'outage-' + vendor;
      button.className = isDown ? 'danger' : '';
      button.textContent = vendor + (isDown ? ': down (click to restore)' : ': up (click for an outage)');
      button.addEventListener('click', async () => {
        try {
          renderOutages(await call('PUT', '/api/simulator/outages', {provider: vendor, down: !isDown}));
        } catch (err) {
          $('fallback-answer').textContent = String(err.message || err);
        }
      });
      el.appendChild(button);
    }
  }

  // Reads the chat panel's last CallResponse and says which provider answered and which were tried.
  function renderAnswer() {
    let r;
    try {
      r = JSON.parse($('chat-last').textContent);
    } catch (e) {
      return;
    }
    if (!r || typeof r.provider !== 'string') {
      return;
    }
    const attempts = Array.isArray(r.attempts) ? r.attempts : [];
    let text = (r.success ? 'Answered by ' : 'Failed at ') + r.provider + '/' + r.model;
    if (attempts.length > 1 && r.success) {
      text += ' (fallback)';
    }
    if (attempts.length > 0) {
      text += ' — tried: ' + attempts.map((a) => a.provider + '/' + a.model + ' '
          + (a.success ? (a.cacheHit ? 'cache hit' : 'success') : String(a.failure).toLowerCase())).join(', ');
    }
    $('fallback-answer').textContent = text;
  }

  async function poll() {
    try {
      renderChains(await call('GET', '/actuator/llmix'));
    } catch (e) {
      // The main dashboard shows connection problems.
    }
  }

  async function init() {
    if (!$('fallback-panel')) {
      return;
    }
    new MutationObserver(renderAnswer).observe($('chat-last'), {childList: true, characterData: true, subtree: true});
    try {
      renderOutages(await call('GET', '/api/simulator/outages'));
    } catch (e) {
      $('fallback-outages').textContent = 'The simulated provider is off: outages cannot be played.';
    }
    poll();
    setInterval(poll, 5000);
  }

  document.addEventListener('DOMContentLoaded', init);
})();
