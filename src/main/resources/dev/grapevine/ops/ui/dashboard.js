// The Grapevine dashboard: the cluster as this node sees it, kept live by the node's event stream.
//
// It loads the members, the node's info and its latest events (GET /ui/recent, which the node keeps,
// so a page opened after a crash still shows it) from the JSON routes, then follows GET /ui/events
// (server-sent events: the monitor stream, whose subscription opens with the whole current view and
// then sends every change in order). Recovery has no stream: GET /v1/recovery is polled.
// Text from the cluster (names, tags, payloads) only ever goes into the page as textContent.
'use strict';

(() => {
  const EVENTS_MAX = 50;
  const RECOVERY_POLL_MILLIS = 2000;
  /** After the browser gives up on a stream (an error status, say), a new one is opened this much later. */
  const REOPEN_MILLIS = 5000;
  const PAYLOAD_CHARS_MAX = 120;
  const STATUS_ORDER = { alive: 0, suspect: 1, dead: 2, left: 3 };
  const VERBS = {
    joined: 'joined', updated: 'updated', suspected: 'suspected', alive_again: 'alive again',
    failed: 'failed', left: 'left', reaped: 'reaped',
  };

  const state = {
    members: new Map(), // name -> {name, address, status, incarnation, tags}
    events: [], // newest first, at most EVENTS_MAX
    info: null,
    infoAtMillis: 0,
    sort: { key: 'name', dir: 1 },
    loading: false,
    queued: [], // stream events that came while the state was loading, applied after it in order
  };

  const byId = (id) => document.getElementById(id);

  function el(tag, text, className) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (className) e.className = className;
    return e;
  }

  async function getJson(path) {
    const response = await fetch(path, { cache: 'no-store', headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(`${path} answered HTTP ${response.status}`);
    return response.json();
  }

  // ---- state ----

  /**
   * Loads members and info. Stream events that arrive meanwhile wait and are applied after, in order:
   * the stream opened before the load and starts with the whole view, so its events end up right
   * whichever of the two saw a change first.
   */
  async function reload() {
    if (state.loading) return;
    state.loading = true;
    try {
      const [members, info, recent] = await Promise.all([getJson('/v1/members'), getJson('/v1/info'),
        getJson('/ui/recent')]);
      state.members = new Map(members.members.map((m) => [m.name, m]));
      state.info = info;
      state.infoAtMillis = Date.now();
      showRecent(recent.events);
    } catch (e) {
      note(`could not load this node's state: ${e.message}`);
    } finally {
      state.loading = false;
      const queued = state.queued;
      state.queued = [];
      queued.forEach((event) => apply(event, true));
      render();
    }
    pollRecovery();
  }

  function onStreamEvent(message) {
    let event;
    try {
      event = JSON.parse(message.data);
    } catch (e) {
      return; // not ours to show
    }
    if (state.loading) {
      state.queued.push(event);
      return;
    }
    apply(event, false);
    render();
  }

  /**
   * The node's own list of its latest events replaces the page's (the page's notes stay): it holds
   * what happened before the page opened, or while its stream was down. Each line keeps a key, so
   * an event both in the list and on the stream while the list loaded shows once.
   */
  function showRecent(events) {
    const lines = [];
    (events || []).forEach((event) => {
      const line = lineFor(event);
      if (line) lines.unshift(line);
    });
    const notes = state.events.filter((e) => e.kind === 'note');
    state.events = lines.concat(notes).sort((a, b) => b.atMillis - a.atMillis).slice(0, EVENTS_MAX);
  }

  /** The event line of a stream event, or null for kinds the list does not show. */
  function lineFor(event) {
    if (event.type === 'user') {
      let payload = event.payload || '';
      if (payload.length > PAYLOAD_CHARS_MAX) payload = `${payload.slice(0, PAYLOAD_CHARS_MAX)}…`;
      return {
        atMillis: event.at_ms || Date.now(), kind: 'user', member: null,
        text: `user event "${event.name}" from ${event.origin}${payload ? `: ${payload}` : ''}`,
        key: `user|${event.name}|${event.origin}|${event.lamport_time}`,
      };
    }
    if (event.type !== 'member') return null;
    const member = event.member;
    const verb = VERBS[event.event] || event.event;
    const by = (event.event === 'suspected' || event.event === 'failed') && event.source && event.source !== member.name
      ? ` (by ${event.source})` : '';
    const where = event.event === 'joined' || event.event === 'updated' ? ` at ${member.address}` : '';
    return {
      atMillis: event.at_ms || Date.now(), kind: event.event, member: member.name,
      text: `${member.name} ${verb}${by}${where}`,
      key: `member|${event.event}|${member.name}|${member.status}|${member.incarnation}|${member.address}|${tagText(member.tags)}`,
    };
  }

  /**
   * Applies a stream event. {@code loadedWith}: it came while the state loaded, so the node's list of
   * latest events may hold it already (the same event twice is one line); later events are all new.
   */
  function apply(event, loadedWith) {
    switch (event.type) {
      case 'member':
        applyMember(event, loadedWith);
        break;
      case 'user':
        log(lineFor(event), loadedWith);
        break;
      case 'dropped':
        note(`${event.lines} events were lost while this page read too slowly; reloading`);
        reload();
        break;
      default:
        break; // heartbeats and kinds this page does not know
    }
  }

  function applyMember(event, loadedWith) {
    const member = event.member;
    const before = state.members.get(member.name);
    if (event.event === 'reaped') {
      if (!before) return;
      state.members.delete(member.name);
    } else if (before && sameMember(before, member)) {
      return; // the stream's opening view of a member the page already shows, or nothing new
    } else {
      state.members.set(member.name, member);
      if (event.event === 'updated' && before && onlyNodeTagsChanged(before, member)) {
        return; // its load, every 30 s: the table shows it; a line each would bury the failures
      }
    }
    log(lineFor(event), loadedWith);
  }

  /** Same address, same life (epoch) and the same operator's tags: only the node's own grapevine.* tags changed. */
  function onlyNodeTagsChanged(a, b) {
    const userTags = (tags) => Object.fromEntries(Object.entries(tags || {}).filter(([k]) => !k.startsWith(RESERVED_TAG_PREFIX)));
    return a.address === b.address && a.epoch === b.epoch && tagText(userTags(a.tags)) === tagText(userTags(b.tags));
  }

  function sameMember(a, b) {
    return a.status === b.status && a.incarnation === b.incarnation && a.address === b.address
      && tagText(a.tags) === tagText(b.tags);
  }

  /** Adds a line; with {@code unlessListed}, not if the node's list of latest events gave the page that line. */
  function log(line, unlessListed) {
    if (unlessListed && state.events.some((e) => e.key === line.key)) return;
    state.events.unshift(line);
    if (state.events.length > EVENTS_MAX) state.events.length = EVENTS_MAX;
  }

  function note(text) {
    log({ atMillis: Date.now(), kind: 'note', member: null, text });
    render();
  }

  // ---- rendering ----

  function render() {
    renderNode();
    renderMembers();
    renderEvents();
  }

  function renderNode() {
    const info = state.info;
    const dl = byId('node');
    const fields = [];
    if (info) {
      fields.push(['node', info.node || info.name]);
      if (info.version) fields.push(['version', info.version]);
      const uptimeMillis = typeof info.uptime_seconds === 'number'
        ? info.uptime_seconds * 1000 + (Date.now() - state.infoAtMillis) : null;
      if (uptimeMillis !== null) fields.push(['up', duration(uptimeMillis)]);
      if (info.address) fields.push(['address', info.address]);
      if (info.profile) fields.push(['profile', info.profile]);
    }
    dl.replaceChildren(...fields.map(([k, v]) => {
      const pair = el('div');
      pair.append(el('dt', k), el('dd', v));
      return pair;
    }));
    const suspects = countSuspects();
    const name = info ? (info.node || info.name) : null;
    document.title = `Grapevine${name ? ` · ${name}` : ''}${suspects ? ` · ${suspects} suspect` : ''}`;
  }

  function countSuspects() {
    let n = 0;
    state.members.forEach((m) => { if (m.status === 'suspect') n += 1; });
    return n;
  }

  function compareMembers(a, b) {
    const key = state.sort.key;
    let c = 0;
    if (key === 'status') c = (STATUS_ORDER[a.status] ?? 9) - (STATUS_ORDER[b.status] ?? 9);
    else if (key === 'incarnation') c = a.incarnation - b.incarnation;
    else if (key === 'address') c = String(a.address).localeCompare(String(b.address));
    c *= state.sort.dir;
    // Ties, and the name column itself, go by name: the order never depends on arrival.
    return c !== 0 ? c : (key === 'name' ? state.sort.dir : 1) * (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  }

  function renderMembers() {
    const members = [...state.members.values()].sort(compareMembers);
    const rows = members.map((m) => {
      const tr = el('tr');
      tr.dataset.member = m.name;
      tr.dataset.status = m.status;
      tr.append(el('td', m.name, 'name'));
      const status = el('td');
      status.append(el('span', m.status, `status ${m.status}`));
      tr.append(status, el('td', m.address, 'mono'), el('td', m.incarnation, 'num mono'));
      tr.append(el('td', loadText(m.tags), 'num mono'));
      const tags = el('td', null, 'tags');
      // The node's own tags (grapevine.*) are the protocol's; the load has a column of its own.
      Object.keys(m.tags || {}).filter((k) => !k.startsWith(RESERVED_TAG_PREFIX)).sort()
        .forEach((k) => tags.append(el('span', `${k}=${m.tags[k]}`, 'tag')));
      tr.append(tags);
      return tr;
    });
    if (rows.length === 0) {
      const empty = el('td', state.info === null ? 'loading…' : 'no members known', 'empty');
      empty.colSpan = 6;
      const tr = el('tr');
      tr.append(empty);
      rows.push(tr);
    }
    byId('members').tBodies[0].replaceChildren(...rows);
    document.querySelectorAll('#members th').forEach((th) => {
      const button = th.querySelector('button');
      if (!button) return;
      th.setAttribute('aria-sort', button.dataset.sort !== state.sort.key ? 'none'
        : state.sort.dir > 0 ? 'ascending' : 'descending');
    });

    const counts = { alive: 0, suspect: 0, dead: 0, left: 0 };
    members.forEach((m) => { if (m.status in counts) counts[m.status] += 1; });
    Object.entries(counts).forEach(([s, n]) => { byId(`count-${s}`).textContent = String(n); });
    const suspects = members.filter((m) => m.status === 'suspect').map((m) => m.name).sort();
    const names = byId('suspects');
    names.textContent = suspects.length ? suspects.join(', ') : 'none';
    names.classList.toggle('suspect', suspects.length > 0);
  }

  function renderEvents() {
    const items = state.events.map((e) => {
      const li = el('li', null, `event ${e.kind}`);
      if (e.member) li.dataset.member = e.member;
      li.dataset.kind = e.kind;
      const time = el('time', clock(e.atMillis));
      time.dateTime = new Date(e.atMillis).toISOString();
      li.append(time, el('span', e.text, 'text'));
      return li;
    });
    if (items.length === 0) items.push(el('li', 'nothing yet', 'event empty'));
    byId('events').replaceChildren(...items);
  }

  function renderRecovery(status) {
    byId('recovery-epoch').textContent = status.epoch ?? 'none yet';
    const complete = byId('recovery-complete');
    complete.dataset.complete = status.epoch == null ? 'unknown' : status.complete ? 'yes' : 'no';
    complete.textContent = status.epoch == null ? 'no epoch settled yet'
      : status.complete ? 'complete everywhere' : 'in progress';
    byId('recovery-pending').textContent =
      `${status.partitions_pending} repair tasks pending · ${status.members} live members`;
    const rows = (status.nodes || []).map((n) => {
      const tr = el('tr');
      tr.dataset.node = n.node;
      tr.append(el('td', n.node, 'name'));
      tr.append(el('td', n.epoch ?? 'no report', n.epoch == null ? 'mono muted' : 'mono'));
      tr.append(el('td', n.pending ?? '-', n.pending > 0 ? 'num pending' : 'num'));
      tr.append(el('td', n.failed ?? '-', n.failed > 0 ? 'num failed' : 'num'));
      return tr;
    });
    byId('recovery').tBodies[0].replaceChildren(...rows);
  }

  let recoveryInFlight = false;

  async function pollRecovery() {
    if (recoveryInFlight || document.hidden) return;
    recoveryInFlight = true;
    try {
      renderRecovery(await getJson('/v1/recovery'));
    } catch (e) {
      const complete = byId('recovery-complete');
      complete.dataset.complete = 'unknown';
      complete.textContent = 'unavailable';
    } finally {
      recoveryInFlight = false;
    }
  }

  function clock(millis) {
    const d = new Date(millis);
    const two = (n) => String(n).padStart(2, '0');
    return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
  }

  function duration(millis) {
    let s = Math.max(0, Math.floor(millis / 1000));
    const d = Math.floor(s / 86400); s -= d * 86400;
    const h = Math.floor(s / 3600); s -= h * 3600;
    const m = Math.floor(s / 60); s -= m * 60;
    return d > 0 ? `${d}d ${h}h ${m}m` : h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${s}s` : `${s}s`;
  }

  const RESERVED_TAG_PREFIX = 'grapevine.';

  // grapevine.load is "KEYS,BYTES" (BYTES '-' when unknown), gossiped by each member at most every 30 s.
  function loadText(tags) {
    const load = (tags || {})[RESERVED_TAG_PREFIX + 'load'];
    if (typeof load !== 'string') return '–';
    const [keys, bytes] = load.split(',');
    const size = /^[0-9]+$/.test(bytes || '') ? ` · ${bytesText(Number(bytes))}` : '';
    return `${keys} keys${size}`;
  }

  function bytesText(bytes) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit += 1;
    }
    return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
  }

  function tagText(tags) {
    return Object.keys(tags || {}).sort().map((k) => `${k}=${tags[k]}`).join('\n');
  }

  // ---- the stream ----

  function setConnection(stateName, text) {
    const badge = byId('connection');
    badge.dataset.state = stateName;
    badge.textContent = text;
  }

  let opened = false;

  function connect() {
    const source = new EventSource('/ui/events');
    source.addEventListener('open', () => {
      setConnection('live', 'live');
      if (opened) note('event stream reopened; the state and the latest events are reloaded');
      opened = true;
      reload(); // first load, or what the page missed while the stream was down
    });
    source.addEventListener('message', onStreamEvent);
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CLOSED) {
        // The browser gave up (an error status: too many streams open on the node, say); try later.
        setConnection('down', 'disconnected');
        setTimeout(connect, REOPEN_MILLIS);
      } else {
        setConnection('reconnecting', 'reconnecting…'); // EventSource retries by itself
      }
    });
  }

  function start() {
    document.querySelectorAll('#members th button[data-sort]').forEach((button) => {
      button.addEventListener('click', () => {
        const key = button.dataset.sort;
        state.sort = { key, dir: state.sort.key === key ? -state.sort.dir : 1 };
        renderMembers();
      });
    });
    render();
    connect();
    setInterval(pollRecovery, RECOVERY_POLL_MILLIS);
    setInterval(renderNode, 1000); // the uptime, when the node reports one
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
