// LLMix sample dashboard: plain JavaScript, no build step, no external resources.
// Reads /actuator/llmix once a second and drives the sample's /api endpoints.
(function () {
  'use strict';

  const POLL_MS = 1000;
  const $ = (id) => document.getElementById(id);
  const history = []; // the conversation sent with each chat (user and assistant turns)

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') node.className = v;
      else if (k.startsWith('data-')) node.setAttribute(k, v);
      else node[k] = v;
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  async function json(method, url, body) {
    const init = { method, headers: { 'Accept': 'application/json' } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const res = await fetch(url, init);
    const text = await res.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (e) { data = { error: text }; }
    if (!res.ok) {
      const msg = (data && (data.error || data.message)) || (res.status + ' ' + res.statusText);
      throw new Error(url + ': ' + msg);
    }
    return data;
  }

  function showError(err) {
    $('error-banner').textContent = err ? String(err.message || err) : '';
  }

  function splitPreset(value) {
    const [module, preset] = value.split('/');
    return { module, preset };
  }

  // ---- tool demo --------------------------------------------------------------------------------------------

  async function runTools(event) {
    event.preventDefault();
    const { module, preset } = splitPreset($('chat-preset').value);
    $('tools-run').disabled = true;
    try {
      const r = await json('POST', '/api/tools/weather', { module, preset, question: $('tools-input').value });
      $('tools-stop').textContent = r.stopReason;
      $('tools-steps').textContent = r.steps + ' model call(s)' + (r.error ? ' — ' + r.error : '');
      const log = $('tools-log');
      log.replaceChildren();
      for (const m of r.messages) {
        let text;
        if (m.tool_calls) {
          text = 'assistant calls ' + m.tool_calls.map(c => c.function.name + c.function.arguments).join(', ');
        } else if (m.role === 'tool') {
          text = 'tool ' + m.name + (m.is_error ? ' (error)' : '') + ' → ' + m.content;
        } else {
          text = m.role + ': ' + m.content;
        }
        log.append(el('li', { class: 'tool-step' }, text));
      }
    } catch (err) {
      showError(err);
    } finally {
      $('tools-run').disabled = false;
    }
  }

  // ---- chat -------------------------------------------------------------------------------------------------

  function addMessage(kind, text, meta, thinking, success) {
    const node = el('div', { class: 'msg ' + kind, 'data-success': String(success !== false) }, text);
    if (thinking) {
      node.append(el('details', {}, el('summary', {}, 'thinking'), thinking));
    }
    if (meta) node.append(meta);
    $('chat-log').append(node);
    $('chat-log').scrollTop = $('chat-log').scrollHeight;
    return node;
  }

  // The same question through Spring AI's ChatClient over LlmixChatModel; a failure is a 503 with {error}, which
  // json() throws like any other failed request.
  async function springAiChat(module, preset, message) {
    const r = await json('POST', '/api/spring-ai/chat', { module, preset, message });
    return Object.assign({ success: true, via: 'Spring AI ChatClient' }, r);
  }

  /** The request body for a chat of text (system message, earlier turns if kept); shows the user's bubble. */
  function startChat(text) {
    const { module, preset } = splitPreset($('chat-preset').value);
    const messages = [];
    const system = $('chat-system').value.trim();
    if (system) messages.push({ role: 'system', content: system });
    if ($('chat-history').checked) messages.push(...history);
    messages.push({ role: 'user', content: text });
    addMessage('user', text);
    $('chat-input').value = '';
    $('chat-send').disabled = true;
    return { module, preset, messages };
  }

  async function sendChat(event) {
    event.preventDefault();
    const text = $('chat-input').value.trim();
    if (!text) return;
    const { module, preset, messages } = startChat(text);
    const started = performance.now();
    try {
      const r = $('chat-spring-ai').checked
        ? await springAiChat(module, preset, text)
        : await json('POST', '/api/chat', { module, preset, messages });
      const ms = Math.round(performance.now() - started);
      $('chat-last').textContent = JSON.stringify(r, null, 2);
      if (r.success) {
        history.push({ role: 'user', content: text }, { role: 'assistant', content: r.content });
        const meta = el('span', { class: 'meta' },
          el('span', { class: 'tag ' + (r.cacheHit || 'fresh') }, r.cacheHit ? 'cache ' + r.cacheHit : 'fresh'),
          r.provider + ' · ' + r.model + ' · ' + ms + ' ms · tokens ' + r.usage.inputTokens + ' in / '
            + r.usage.outputTokens + ' out');
        addMessage('assistant', r.content, meta, r.thinkingContent, true);
      } else {
        addMessage('error', r.error, el('span', { class: 'meta' }, r.provider + ' · ' + ms + ' ms'), null, false);
      }
    } catch (err) {
      $('chat-last').textContent = String(err.message || err);
      addMessage('error', String(err.message || err), null, null, false);
    } finally {
      $('chat-send').disabled = false;
      $('chat-input').focus();
      poll();
    }
  }

  // The streamed chat (chat-stream.js) shares the chat helpers and the conversation.
  window.llmixDashboard = { el, history, startChat, poll: () => poll() };

  // ---- panels -----------------------------------------------------------------------------------------------

  function renderKillSwitch(ks) {
    const state = $('killswitch-state');
    state.textContent = ks.active ? 'ACTIVE' : 'released';
    state.className = ks.active ? 'active' : 'inactive';
    $('killswitch-scope').textContent = '(' + ks.scope + ')';
    $('killswitch-path').textContent = ks.path;
    $('killswitch-reason-shown').textContent = ks.active
      ? 'Reason: ' + (ks.reason || '—') + (ks.since ? ' · since ' + new Date(ks.since).toLocaleTimeString() : '')
      : '';
    $('killswitch-engage').disabled = ks.active;
    $('killswitch-release').disabled = !ks.active;
  }

  function renderBreakers(breakers) {
    const body = $('breakers');
    body.replaceChildren();
    if (!breakers.length) {
      body.append(el('tr', {}, el('td', { colSpan: 6, class: 'muted' }, 'no breaker yet: send a chat')));
      return;
    }
    for (const b of breakers) {
      const reset = el('button', { class: 'small', type: 'button' }, 'reset');
      reset.addEventListener('click', () => act('breakers', { provider: b.provider, baseUrl: b.baseUrl }));
      body.append(el('tr', { 'data-provider': b.provider },
        el('td', {}, b.provider),
        el('td', {}, b.baseUrl || '(default)'),
        el('td', { class: 'state-' + b.state }, b.state),
        el('td', {}, b.consecutiveFailures),
        el('td', {}, Math.round(b.cooldownMs / 1000) + ' s'),
        el('td', {}, reset)));
    }
  }

  function bar(value, max, cls, label) {
    const pct = max > 0 ? Math.min(100, Math.round(100 * value / max)) : 0;
    return el('div', { class: 'bar' }, el('span', { class: cls, style: 'width:' + pct + '%' }), el('i', {}, label));
  }

  function renderLimiters(limiters) {
    const box = $('limiters');
    box.replaceChildren();
    if (!limiters.length) {
      box.append(el('p', { class: 'muted' }, 'no limiter yet: send a chat'));
      return;
    }
    for (const l of limiters) {
      const barWindow = bar(l.window, l.max, '', 'window ' + l.window + ' (min ' + l.min + ', max ' + l.max + ')');
      const barFlight = bar(l.inFlight, l.max, 'inflight', 'in flight ' + l.inFlight + ' · waiting ' + l.waiting);
      box.append(el('div', { class: 'limiter', 'data-provider': l.provider },
        el('strong', {}, l.provider), barWindow, barFlight));
      const node = box.lastChild;
      node.querySelector('.bar i').id = 'limiter-window-' + l.provider;
    }
  }

  function ratio(part, total) {
    return total > 0 ? (100 * part / total).toFixed(1) + ' %' : '—';
  }

  function renderCache(cache) {
    const box = $('cache');
    box.replaceChildren();
    $('cache-clear').disabled = !cache;
    if (!cache) {
      box.append(el('p', { class: 'muted' }, 'no response cache configured'));
      return;
    }
    const l1 = cache.hits.l1 || 0;
    const l2 = cache.hits.l2 || 0;
    const lookups = l1 + l2 + cache.misses;
    const stat = (id, value, label) => el('span', { class: 'stat' }, el('b', { id }, value), label);
    box.append(
      el('div', {},
        stat('cache-ratio-l1', ratio(l1, lookups), 'L1 hit ratio'),
        stat('cache-ratio-l2', cache.l2Enabled ? ratio(l2, lookups) : 'off', 'L2 hit ratio'),
        stat('cache-ratio-total', ratio(l1 + l2, lookups), 'total')),
      el('p', { class: 'small' },
        'hits L1 ', el('b', { id: 'cache-hits-l1' }, l1), ' · hits L2 ', el('b', { id: 'cache-hits-l2' }, l2),
        ' · misses ', el('b', { id: 'cache-misses' }, cache.misses)),
      bar(cache.l1Size, cache.l1Max, '', 'L1 ' + cache.l1Size + ' / ' + cache.l1Max + ' entries'),
      el('p', { class: 'small muted' }, 'strategy ' + cache.strategy + ' · L2 '
        + (cache.l2Enabled ? (cache.l2Healthy ? 'healthy' : 'UNHEALTHY (serving L1 only)') : 'not configured')));
  }

  function renderKeyPools(pools) {
    const box = $('keypools');
    box.replaceChildren();
    if (!pools.length) {
      box.append(el('p', { class: 'muted' }, 'no key pool'));
      return;
    }
    for (const p of pools) {
      box.append(el('div', { 'data-provider': p.provider },
        el('strong', {}, p.provider), ' ', p.alive + ' / ' + p.total + ' keys alive',
        el('div', { class: 'small muted' }, (p.keys || []).join(', '))));
    }
  }

  function renderMisc(doc) {
    $('singleflight-inflight').textContent = doc.singleflight ? doc.singleflight.inFlight : 0;
    const p = doc.presets;
    const box = $('presets-status');
    box.replaceChildren();
    if (p) {
      box.append(el('div', {}, 'presets: ' + p.mode + ' mode, root ', el('code', {}, p.root)));
      if (p.revision) box.append(el('div', {}, 'revision ' + p.revision));
      if (p.lastReloadError) box.append(el('div', { class: 'error' }, 'last reload error: ' + p.lastReloadError));
    }
  }

  function render(doc) {
    renderKillSwitch(doc.killSwitch);
    renderBreakers(doc.breakers || []);
    renderLimiters(doc.limiters || []);
    renderCache(doc.cache);
    renderKeyPools(doc.keyPools || []);
    renderMisc(doc);
  }

  let polling = false;
  async function poll() {
    if (polling) return;
    polling = true;
    try {
      const doc = await json('GET', '/actuator/llmix');
      render(doc);
      $('poll-status').textContent = 'live · ' + new Date().toLocaleTimeString();
      $('poll-status').className = 'poll';
      if (simulated) await pollSimulator();
      await pollLoad();
    } catch (err) {
      $('poll-status').textContent = 'cannot read /actuator/llmix';
      $('poll-status').className = 'poll down';
      showError(err);
    } finally {
      polling = false;
    }
  }

  async function act(target, body) {
    try {
      const doc = await json('POST', '/actuator/llmix/' + target, body);
      render(doc);
      showError(null);
    } catch (err) {
      showError(err);
    }
  }

  // ---- load -------------------------------------------------------------------------------------------------

  function renderLoad(s) {
    if (!s || !s.requested) return;
    $('load-result').textContent = (s.running ? 'running: ' : 'done: ') + s.completed + ' / ' + s.requested
      + ' completed · ' + s.succeeded + ' ok · ' + s.failed + ' failed · ' + s.elapsedMs + ' ms'
      + (s.lastError ? ' · last error: ' + s.lastError : '');
    $('load-fire').disabled = s.running;
  }

  async function pollLoad() {
    renderLoad(await json('GET', '/api/load'));
  }

  async function fireLoad() {
    const { module, preset } = splitPreset($('load-preset').value);
    const count = parseInt($('load-count').value, 10) || 1;
    try {
      renderLoad(await json('POST', '/api/load', { module, preset, count }));
      showError(null);
    } catch (err) {
      showError(err);
    }
  }

  // ---- simulator --------------------------------------------------------------------------------------------

  let simulated = false;
  let simFormFilled = false;

  function fillSimForm(s) {
    $('sim-min-latency').value = s.minLatencyMs;
    $('sim-max-latency').value = s.maxLatencyMs;
    $('sim-error-rate').value = s.errorRate;
    $('sim-rate-limit-rate').value = s.rateLimitRate;
    $('sim-budget').value = s.requestsPerWindow;
    $('sim-window').value = s.windowSeconds;
    $('sim-thinking').checked = s.thinking;
  }

  function renderSimStats(st) {
    $('sim-stats').textContent = 'requests ' + st.requests + ' · answered ' + st.answered + ' · 429s '
      + st.rateLimited + ' · 503s ' + st.failed + ' · budget left ' + st.remaining + ' / ' + st.limit;
  }

  async function pollSimulator() {
    const sim = await json('GET', '/api/simulator');
    if (!simFormFilled) {
      fillSimForm(sim.settings);
      simFormFilled = true;
    }
    renderSimStats(sim.stats);
  }

  async function applySimulator(event) {
    event.preventDefault();
    const settings = {
      minLatencyMs: Number($('sim-min-latency').value),
      maxLatencyMs: Number($('sim-max-latency').value),
      errorRate: Number($('sim-error-rate').value),
      rateLimitRate: Number($('sim-rate-limit-rate').value),
      requestsPerWindow: Number($('sim-budget').value),
      windowSeconds: Number($('sim-window').value),
      thinking: $('sim-thinking').checked,
    };
    try {
      const sim = await json('PUT', '/api/simulator', settings);
      fillSimForm(sim.settings);
      renderSimStats(sim.stats);
      showError(null);
    } catch (err) {
      showError(err);
    }
  }

  // ---- start ------------------------------------------------------------------------------------------------

  async function init() {
    $('chat-form').addEventListener('submit', sendChat);
    $('tools-form').addEventListener('submit', runTools);
    $('killswitch-engage').addEventListener('click',
      () => act('killswitch', { engage: true, reason: $('killswitch-reason').value || 'dashboard' }));
    $('killswitch-release').addEventListener('click', () => act('killswitch', { engage: false }));
    $('breakers-reset').addEventListener('click', () => act('breakers', {}));
    $('cache-clear').addEventListener('click', () => act('cache', { clear: true }));
    $('load-fire').addEventListener('click', fireLoad);
    $('sim-form').addEventListener('submit', applySimulator);
    try {
      const info = await json('GET', '/api/info');
      simulated = info.simulated;
      const badge = $('provider-badge');
      badge.textContent = info.simulated ? 'SIMULATED PROVIDER (offline, no API key)' : 'real provider';
      badge.className = 'badge ' + (info.simulated ? 'simulated' : 'real');
      $('simulator-panel').hidden = !info.simulated;
      for (const id of ['chat-preset', 'load-preset']) {
        const select = $(id);
        for (const p of info.presets) select.append(el('option', { value: p }, p));
      }
      $('chat-preset').value = info.chatPreset;
      $('load-preset').value = info.loadPreset;
    } catch (err) {
      showError(err);
    }
    document.body.setAttribute('data-ready', 'true');
    poll();
    setInterval(poll, POLL_MS);
  }

  init();
})();
