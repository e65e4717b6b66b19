// LLMix sample dashboard, streamed chat: with "Stream" on, a chat goes to POST /api/chat/stream and its answer
// bubble fills as the chunk events arrive (fetch with a stream reader, because EventSource cannot POST).
// Kept apart from dashboard.js, whose chat section exposes the shared helpers as window.llmixDashboard.
(function () {
  'use strict';

  const POLL_MS = 1000;
  const $ = (id) => document.getElementById(id);

  function dashboard() {
    return window.llmixDashboard;
  }

  // ---- server-sent events over fetch ------------------------------------------------------------------------

  /** Splits a text/event-stream body into {name, data} events; feeds handler each complete one. */
  function sseParser(handler) {
    let buffer = '';
    function dispatch(block) {
      let name = 'message';
      const data = [];
      for (const line of block.split(/\r\n|\r|\n/)) {
        if (!line || line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'event') name = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length) handler(name, data.join('\n'));
    }
    return {
      push(text) {
        buffer += text;
        for (;;) {
          const m = /\r\n\r\n|\n\n|\r\r/.exec(buffer);
          if (!m) return;
          dispatch(buffer.slice(0, m.index));
          buffer = buffer.slice(m.index + m[0].length);
        }
      },
      end() {
        if (buffer.trim()) dispatch(buffer);
        buffer = '';
      },
    };
  }

  // ---- the streamed answer bubble ---------------------------------------------------------------------------

  /**
   * The bubble is "msg streaming" while chunks arrive and becomes "msg assistant" or "msg error" at done, so the
   * finished bubble looks exactly like a non-streamed one. It carries data-chunks (chunk events seen) and, at done,
   * data-done="true".
   */
  function newBubble() {
    const content = document.createElement('span');
    content.className = 'content';
    const node = document.createElement('div');
    node.className = 'msg streaming';
    node.setAttribute('data-chunks', '0');
    node.setAttribute('data-done', 'false');
    node.append(content);
    $('chat-log').append(node);
    return { node, content, thinking: null, thinkingText: null, chunks: 0 };
  }

  function thinkingBlock(bubble) {
    if (!bubble.thinking) {
      const { el } = dashboard();
      bubble.thinkingText = el('span', { class: 'thinking-text' });
      bubble.thinking = el('details', { class: 'thinking' }, el('summary', {}, 'thinking'), bubble.thinkingText);
      bubble.node.insertBefore(bubble.thinking, bubble.content.nextSibling);
    }
    return bubble.thinkingText;
  }

  function onChunk(bubble, data) {
    const delta = JSON.parse(data);
    if (delta.content) bubble.content.textContent += delta.content;
    if (delta.thinking) thinkingBlock(bubble).textContent += delta.thinking;
    bubble.chunks++;
    bubble.node.setAttribute('data-chunks', String(bubble.chunks));
    $('chat-log').scrollTop = $('chat-log').scrollHeight;
  }

  /** At done the deltas give way to the assembled response (docs/streaming.md: trimmed, thinking complete). */
  function onDone(bubble, data, ms, text) {
    const r = JSON.parse(data);
    const { el, history } = dashboard();
    $('chat-last').textContent = JSON.stringify(r, null, 2);
    if (r.success) {
      history.push({ role: 'user', content: text }, { role: 'assistant', content: r.content });
      bubble.content.textContent = r.content;
      if (r.thinkingContent) thinkingBlock(bubble).textContent = r.thinkingContent;
      else if (bubble.thinking) bubble.thinking.remove();
      bubble.node.append(el('span', { class: 'meta' },
        el('span', { class: 'tag ' + (r.cacheHit || 'fresh') }, r.cacheHit ? 'cache ' + r.cacheHit : 'fresh'),
        r.provider + ' · ' + r.model + ' · streamed, ' + bubble.chunks + ' chunk(s) · ' + ms + ' ms · tokens '
          + r.usage.inputTokens + ' in / ' + r.usage.outputTokens + ' out'));
      bubble.node.className = 'msg assistant';
      bubble.node.setAttribute('data-success', 'true');
    } else {
      // Chunks delivered before a failure stay visible above the error text.
      const partial = bubble.content.textContent;
      bubble.content.textContent = (partial ? partial + '\n' : '') + r.error;
      bubble.node.append(el('span', { class: 'meta' }, r.provider + ' · streamed · ' + ms + ' ms'));
      bubble.node.className = 'msg error';
      bubble.node.setAttribute('data-success', 'false');
    }
    bubble.node.setAttribute('data-done', 'true');
  }

  function failBubble(bubble, message) {
    bubble.content.textContent = message;
    bubble.node.className = 'msg error';
    bubble.node.setAttribute('data-success', 'false');
    bubble.node.setAttribute('data-done', 'true');
    $('chat-last').textContent = message;
  }

  async function streamChat() {
    const text = $('chat-input').value.trim();
    if (!text) return;
    const { startChat, poll } = dashboard();
    const request = startChat(text);
    const bubble = newBubble();
    const started = performance.now();
    try {
      const res = await fetch('/api/chat/stream', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Accept': 'text/event-stream, application/json' },
        body: JSON.stringify(request),
      });
      if (!res.ok) {
        // Invalid input is answered with the plain JSON error before any event.
        const body = await res.text();
        let msg = res.status + ' ' + res.statusText;
        try { msg = JSON.parse(body).error || msg; } catch (e) { /* not JSON */ }
        failBubble(bubble, '/api/chat/stream: ' + msg);
        return;
      }
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      const parser = sseParser((name, data) => {
        if (name === 'chunk') onChunk(bubble, data);
        else if (name === 'done') onDone(bubble, data, Math.round(performance.now() - started), text);
      });
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.push(decoder.decode(value, { stream: true }));
      }
      parser.push(decoder.decode());
      parser.end();
      if (bubble.node.getAttribute('data-done') !== 'true') {
        failBubble(bubble, '/api/chat/stream: the stream ended without a done event');
      }
    } catch (err) {
      failBubble(bubble, String(err.message || err));
    } finally {
      $('chat-send').disabled = false;
      $('chat-input').focus();
      poll();
    }
  }

  // ---- streams in flight (limiter panel) --------------------------------------------------------------------

  async function pollStreams() {
    try {
      const res = await fetch('/actuator/llmix', { headers: { 'Accept': 'application/json' } });
      if (!res.ok) return;
      const report = await res.json();
      $('streams-inflight').textContent = String(report.streams ? report.streams.inFlight : 0);
    } catch (e) {
      // dashboard.js reports polling trouble in its banner.
    }
  }

  function init() {
    const counter = document.createElement('p');
    counter.className = 'small';
    counter.append('Streams in flight: ');
    const value = document.createElement('strong');
    value.id = 'streams-inflight';
    value.textContent = '0';
    counter.append(value);
    $('limiters-panel').append(counter);
    // Capture phase on the document runs before dashboard.js's own submit handler on the form.
    document.addEventListener('submit', (event) => {
      if (event.target.id !== 'chat-form' || !$('chat-stream').checked || !dashboard()) return;
      // The Spring AI switch sends one unstreamed ChatClient call (dashboard.js).
      if ($('chat-spring-ai') && $('chat-spring-ai').checked) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      streamChat();
    }, true);
    pollStreams();
    setInterval(pollStreams, POLL_MS);
  }

  init();
})();
