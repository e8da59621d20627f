// The Mycel dashboard: reads the node's HTTP API and renders it. No build step, no libraries.
// (No template literals here: this file goes through Maven resource filtering.)
(function () {
  'use strict';

  // The API routes the dashboard uses; each answers JSON. Reads are GET, changes POST.
  var API = {
    id: '/api/v0/id',
    peers: '/api/v0/peers',
    repo: '/api/v0/repo/stat',
    pins: '/api/v0/pin/ls',
    bandwidth: '/api/v0/stats/bandwidth',
    add: '/api/v0/add',
    sites: '/api/v0/site/ls',
    publish: '/api/v0/site/publish',
    removeSite: '/api/v0/site/rm'
  };
  var REFRESH_MS = 3000;
  var HOUR_MS = 3600 * 1000;

  var $ = function (id) { return document.getElementById(id); };

  // A node whose API is not on loopback requires its api.token; the page asks for it once and
  // keeps it for this tab only.
  var TOKEN_KEY = 'mycel.api.token';

  function token() {
    try { return window.sessionStorage.getItem(TOKEN_KEY); } catch (e) { return null; }
  }

  function askForToken(message) {
    var box = $('token-form');
    if (!box) { return; }
    box.hidden = false;
    $('token-message').textContent = message;
  }

  if ($('token-form')) {
    $('token-form').addEventListener('submit', function (event) {
      event.preventDefault();
      try { window.sessionStorage.setItem(TOKEN_KEY, $('token-input').value.trim()); } catch (e) { /* private mode */ }
      $('token-form').hidden = true;
      refresh();
    });
  }

  function call(path, options) {
    options = options || {};
    var init = { method: options.method || 'GET', headers: {} };
    if (token()) {
      init.headers['Authorization'] = 'Bearer ' + token();
    }
    if (options.form) {
      init.body = options.form;
    } else if (options.body) {
      init.body = options.body;
      init.headers['Content-Type'] = 'application/octet-stream';
    }
    return fetch(path, init).then(function (response) {
      return response.text().then(function (text) {
        var body = null;
        try {
          body = text ? JSON.parse(text) : null;
        } catch (e) {
          // Newline-delimited JSON (progress, then the result): the last line is the answer.
          var lines = text.trim().split('\n');
          try { body = JSON.parse(lines[lines.length - 1]); } catch (e2) { body = { message: text }; }
        }
        if (response.ok && body && body.error && body.code) {
          var failure = new Error(body.error);
          failure.status = body.code;
          throw failure;
        }
        if (response.status === 401) {
          askForToken(body && body.error || 'This node\'s API requires its token.');
        }
        if (!response.ok) {
          var message = body && (body.message || body.error || body.Message) || response.statusText;
          var error = new Error(message);
          error.status = response.status;
          throw error;
        }
        return body;
      });
    });
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') { node.textContent = attrs[k]; } else { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { node.appendChild(c); });
    return node;
  }

  function link(href, text) {
    return el('a', { href: href, target: '_blank', rel: 'noopener', text: text || href });
  }

  function fill(tbody, rows) {
    while (tbody.firstChild) { tbody.removeChild(tbody.firstChild); }
    rows.forEach(function (r) { tbody.appendChild(r); });
  }

  function bytes(n) {
    if (n === undefined || n === null || isNaN(n)) { return '\u2013'; }
    var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    var i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? Math.round(n) : n.toFixed(n < 10 ? 1 : 0)) + ' ' + units[i];
  }

  function short(text) {
    return text && text.length > 22 ? text.slice(0, 10) + '\u2026' + text.slice(-8) : text;
  }

  function pick(obj, names) {
    for (var i = 0; i < names.length; i++) {
      if (obj && obj[names[i]] !== undefined) { return obj[names[i]]; }
    }
    return undefined;
  }

  function setStatus(ok, text) {
    var s = $('status');
    s.textContent = text;
    s.className = 'status ' + (ok ? 'ok' : 'bad');
  }

  function loadIdentity() {
    return call(API.id).then(function (id) {
      $('peer-id').textContent = pick(id, ['peerId', 'ID', 'id']);
      $('agent').textContent = pick(id, ['agentVersion', 'AgentVersion', 'agent']) || '';
      var addresses = pick(id, ['swarmAddresses', 'addresses', 'Addresses']) || [];
      fill($('addresses'), addresses.map(function (a) { return el('li', {}, [el('code', { text: a })]); }));
    });
  }

  function loadPeers() {
    return call(API.peers).then(function (body) {
      var peers = Array.isArray(body) ? body : (pick(body, ['peers', 'Peers']) || []);
      $('peer-count').textContent = peers.length;
      $('peers-empty').hidden = peers.length > 0;
      fill($('peers'), peers.map(function (p) {
        var id = pick(p, ['peerId', 'peer', 'Peer', 'id']);
        var addr = pick(p, ['address', 'addr', 'Addr', 'remoteAddress']) || '';
        return el('tr', {}, [el('td', {}, [el('code', { text: short(id), title: id })]),
          el('td', {}, [el('code', { text: addr })])]);
      }));
    });
  }

  function loadStorage() {
    return call(API.repo).then(function (s) {
      var used = pick(s, ['bytes', 'usedBytes', 'RepoSize']);
      var quota = pick(s, ['quotaBytes', 'StorageMax', 'storageMax', 'quota']);
      $('storage-used').textContent = bytes(used);
      $('storage-quota').textContent = quota ? bytes(quota) : 'no quota';
      $('storage-blocks').textContent = pick(s, ['blocks', 'NumObjects', 'numObjects']);
      var share = quota ? Math.min(1, used / quota) : 0;
      $('storage-bar').style.width = (share * 100).toFixed(1) + '%';
      $('storage-bar').className = share > 0.9 ? 'full' : '';
    });
  }

  function loadPins() {
    return call(API.pins).then(function (body) {
      var pins = Array.isArray(body) ? body : (pick(body, ['pins', 'Pins']) || []);
      $('pin-count').textContent = pins.length;
      fill($('pins'), pins.map(function (p) {
        var cid = pick(p, ['cid', 'Cid']);
        return el('tr', {}, [el('td', {}, [el('code', { text: short(cid), title: cid })]),
          el('td', { text: pick(p, ['type', 'Type']) || '' }), el('td', { text: pick(p, ['name', 'Name']) || '' })]);
      }));
    });
  }

  function loadSites() {
    return call(API.sites).then(function (body) {
      var sites = Array.isArray(body) ? body : (body && body.sites) || [];
      $('site-count').textContent = sites.length;
      $('sites-empty').hidden = sites.length > 0;
      fill($('sites'), sites.map(function (s) {
        var urls = s.urls || {};
        var open = el('td', {}, []);
        if (urls.gateway) { open.appendChild(link(urls.gateway, 'gateway')); open.appendChild(document.createTextNode(' \u00b7 ')); }
        if (urls.subdomain) { open.appendChild(link(urls.subdomain, 'subdomain')); open.appendChild(document.createTextNode(' \u00b7 ')); }
        open.appendChild(el('code', { text: urls.path || ('/ipns/' + s.ipnsName) }));
        var remove = el('button', { type: 'button', 'class': 'link', text: 'remove', 'data-site': s.name });
        remove.addEventListener('click', function () { removeSite(s.name); });
        return el('tr', { 'data-site': s.name }, [
          el('td', { text: s.name }),
          el('td', {}, [el('code', { text: short(s.ipnsName), title: s.ipnsName })]),
          el('td', {}, [el('code', { text: short(s.cid), title: s.cid }),
            el('span', { 'class': 'muted small', text: s.announced ? '' : ' (not announced yet)' })]),
          open, el('td', {}, [remove])]);
      }));
    });
  }

  // Bandwidth: the node samples its swarm traffic and keeps the last hour (GET stats/bandwidth:
  // the rate now, the totals, and a series of averages, oldest first).
  var recent = [];
  function loadBandwidth() {
    return call(API.bandwidth).then(function (bw) {
      var now = bw.now || {};
      $('rate-in').textContent = bytes(now.bytesInPerSecond) + '/s';
      $('rate-out').textContent = bytes(now.bytesOutPerSecond) + '/s';
      $('total-in').textContent = bytes(bw.totalBytesIn);
      $('total-out').textContent = bytes(bw.totalBytesOut);
      var series = (bw.series || []).map(function (p) {
        return { t: p.time, in: p.bytesInPerSecond, out: p.bytesOutPerSecond };
      });
      var points = series.length;
      $('bw-note').textContent = points === 0
        ? 'The node averages its traffic every ' + bw.resolutionSeconds + ' s; the first point comes soon.'
        : points + ' point(s), one per ' + bw.resolutionSeconds + ' s.';
      // Between the node's points, the page adds the rates it read since it was opened.
      var since = series.length ? series[series.length - 1].t : 0;
      recent.push({ t: Date.now(), in: now.bytesInPerSecond || 0, out: now.bytesOutPerSecond || 0 });
      recent = recent.filter(function (p) { return p.t > since && p.t > Date.now() - HOUR_MS; });
      drawChart(series.concat(recent));
    }, function (error) {
      $('bw-note').textContent = 'Bandwidth is not available from this node\u2019s API (' + error.message + ').';
      drawChart([]);
      throw error;
    });
  }

  function drawChart(points) {
    var svg = $('bw-chart');
    var W = 600, H = 160, top = 12, bottom = 16;
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    var ns = 'http://www.w3.org/2000/svg';
    var now = Date.now();
    var max = 1;
    points.forEach(function (p) { max = Math.max(max, p.in, p.out); });
    for (var g = 0; g <= 4; g++) {
      var y = top + (H - top - bottom) * g / 4;
      var line = document.createElementNS(ns, 'line');
      line.setAttribute('class', 'grid');
      line.setAttribute('x1', 0); line.setAttribute('x2', W); line.setAttribute('y1', y); line.setAttribute('y2', y);
      svg.appendChild(line);
    }
    $('bw-max').textContent = bytes(max) + '/s';
    ['in', 'out'].forEach(function (key) {
      var path = points.filter(function (p) { return p.t >= now - HOUR_MS; }).map(function (p) {
        var x = W * (1 - (now - p.t) / HOUR_MS);
        var y = H - bottom - (H - top - bottom) * (p[key] / max);
        return x.toFixed(1) + ',' + y.toFixed(1);
      }).join(' ');
      var line = document.createElementNS(ns, 'polyline');
      line.setAttribute('class', key);
      line.setAttribute('points', path);
      svg.appendChild(line);
    });
  }

  function refresh() {
    var parts = [loadIdentity(), loadPeers(), loadStorage(), loadPins(), loadSites(), loadBandwidth()];
    return Promise.all(parts.map(function (p) { return p.then(function () { return null; }, function (e) { return e; }); }))
      .then(function (errors) {
        // A route this node does not offer (404) leaves its card empty; anything else is a failure.
        var failed = errors.filter(function (e) { return e && e.status !== 404; });
        if (failed.length === 0) {
          setStatus(true, 'online');
        } else {
          setStatus(false, failed[0].message);
        }
      });
  }

  function showResult(box, ok, nodes) {
    fill(box, nodes);
    box.className = 'result' + (ok ? '' : ' error');
  }

  // Publishing sends the chosen folder's files with their paths inside it (the browser's folder
  // picker); the node writes them to a staging folder and publishes that.
  $('publish-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var name = $('site-name').value.trim();
    var files = $('site-folder').files;
    if (!files.length) { return; }
    var form = new FormData();
    for (var i = 0; i < files.length; i++) {
      var file = files[i];
      var relative = file.webkitRelativePath || file.name;
      // Drop the chosen folder's own name: the site is what is inside it. The path goes in its
      // own part, as browsers may strip folders from a file part's name.
      var slash = relative.indexOf('/');
      form.append('path', slash >= 0 ? relative.slice(slash + 1) : relative);
      form.append('file', file, file.name);
    }
    var button = $('publish-button');
    button.disabled = true;
    showResult($('publish-result'), true, [document.createTextNode('Publishing ' + files.length + ' file(s)\u2026')]);
    call(API.publish + '?name=' + encodeURIComponent(name), { method: 'POST', form: form }).then(function (site) {
      var urls = site.urls || {};
      var lines = [el('p', { id: 'published-site', 'data-ipns': site.ipnsName, text: 'Published ' + site.name + ' (' + site.cid + ').' })];
      if (urls.gateway) { lines.push(el('p', {}, [document.createTextNode('Gateway: '), link(urls.gateway)])); }
      if (urls.subdomain) { lines.push(el('p', {}, [document.createTextNode('Subdomain: '), link(urls.subdomain)])); }
      lines.push(el('p', {}, [document.createTextNode('Any gateway: '), el('code', { text: urls.path })]));
      showResult($('publish-result'), true, lines);
      return refresh();
    }, function (error) {
      showResult($('publish-result'), false, [document.createTextNode('Not published: ' + error.message)]);
    }).then(function () { button.disabled = false; });
  });

  $('add-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var files = $('add-files').files;
    var button = $('add-button');
    button.disabled = true;
    var added = [];
    var chain = Promise.resolve();
    Array.prototype.forEach.call(files, function (file) {
      chain = chain.then(function () {
        // The API's add takes the file's bytes as the body and answers its CID.
        return call(API.add + '?name=' + encodeURIComponent(file.name), { method: 'POST', body: file }).then(function (r) {
          added.push(el('p', {}, [document.createTextNode('Added ' + file.name + ': '),
            el('code', { text: pick(r, ['cid', 'Hash', 'hash']) })]));
        });
      });
    });
    chain.then(function () {
      showResult($('add-result'), true, added);
      return refresh();
    }, function (error) {
      added.push(document.createTextNode('Not added: ' + error.message));
      showResult($('add-result'), false, added);
    }).then(function () { button.disabled = false; });
  });

  function removeSite(name) {
    if (!window.confirm('Remove the site ' + name + '? Its content is unpinned; its key is kept.')) { return; }
    call(API.removeSite + '?arg=' + encodeURIComponent(name), { method: 'POST' }).then(refresh, function (error) {
      window.alert('Could not remove ' + name + ': ' + error.message);
    });
  }

  refresh();
  setInterval(refresh, REFRESH_MS);
})();
