// Uplift console. Served as console-<hash>.js (see Assets): a changed file gets a new name.
// No inline script anywhere (the Content-Security-Policy forbids it): the pages' behaviour is here.
'use strict';

// A change the terminal would ask about is confirmed here too.
document.addEventListener('submit', (e) => {
  const question = e.target.dataset.confirm;
  if (question && !window.confirm(question)) {
    e.preventDefault();
  }
});

function append(list, line) {
  if (!list) return;
  const li = document.createElement('li');
  const time = document.createElement('time');
  time.dateTime = line.at;
  time.textContent = line.at && line.at.length >= 19 ? line.at.substring(11, 23).replace('Z', '') : line.at;
  li.appendChild(time);
  li.appendChild(document.createTextNode(' ' + line.text));
  list.appendChild(li);
  list.scrollTop = list.scrollHeight;
}

function duration(seconds) {
  if (seconds === null || seconds === undefined) return '';
  const m = Math.floor(seconds / 60), s = seconds % 60;
  return 'ETA ' + (m > 0 ? m + ' min ' : '') + s + ' s';
}

function amount(n, unit) {
  if (unit === 'bytes') {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0; while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return n.toFixed(i === 0 ? 0 : 1) + ' ' + units[i];
  }
  return n + ' ' + (unit || '');
}

// The live part of a page: the log and the progress, pushed by /events. The server sends each line
// once with its cursor as the event id; a dropped connection reconnects with Last-Event-ID and goes on.
const live = document.querySelector('[data-events]');
if (live) {
  const url = '/events?from=' + encodeURIComponent(live.dataset.cursor) + '&job=' + encodeURIComponent(live.dataset.job)
      + '&run=' + encodeURIComponent(live.dataset.run);
  const events = new EventSource(url);
  events.addEventListener('log', (e) => append(document.getElementById('log'), JSON.parse(e.data)));
  events.addEventListener('job', (e) => append(document.getElementById('job-log'), JSON.parse(e.data)));
  events.addEventListener('state', (e) => {
    const s = JSON.parse(e.data);
    if (s.key !== live.dataset.key) {
      events.close();
      window.location.reload(); // the upgrade or the job changed state: other buttons apply
      return;
    }
    const bar = document.getElementById('bar');
    const done = s.job === 'running' ? s.jobDone : s.done, total = s.job === 'running' ? s.jobTotal : s.total;
    const unit = s.job === 'running' ? 'bytes' : s.unit;
    const rate = s.job === 'running' ? s.jobPerSecond : s.perSecond;
    const eta = s.job === 'running' ? s.jobEta : s.eta;
    if (bar && total > 0) { bar.max = total; bar.value = done; }
    const text = (id, value) => { const el = document.getElementById(id); if (el) el.textContent = value || ''; };
    text('step', s.job === 'running' && !s.step ? s.jobLabel : s.step);
    text('phase', s.phase);
    text('done', total > 0 ? amount(done, unit) + ' of ' + amount(total, unit) : '');
    text('rate', rate > 0 ? amount(rate, unit) + '/s' : '');
    text('eta', duration(eta));
  });
}
