// Search of the public catalogue over the sharded index that plugins/portal_public/search.py
// writes. Folding follows portal/textfold.py (search_key, collation_key) and the ranking follows
// search.py's `score`; tests/fixtures/folding_cases.json checks both sides with the same table.
"use strict";

var PortalSearch = (function () {
  var TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;
  var TONE_RANK = { "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5 };
  var ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz";
  var SLUG = 0, NAME = 1, NAME_LANG = 2, ORGANISATION = 3, PROVINCE = 4, YEAR = 5, DATE = 6,
      KIND = 7, FIELDS = 8, DOMAINS = 9, SUMMARY = 10;

  function searchKey(text) {
    var bare = String(text || "").normalize("NFD").replace(/\p{M}/gu, "");
    bare = bare.replace(/đ/g, "d").replace(/Đ/g, "D");
    return bare.normalize("NFC").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function tokens(text) {
    return searchKey(text).match(/[0-9a-z]+/g) || [];
  }

  function words(text) {
    return String(text || "").normalize("NFC").match(/[\p{L}\p{N}_]+/gu) || [];
  }

  function markKey(word) {
    var decomposed = word.toLowerCase().normalize("NFD");
    var marks = (decomposed.match(TONE_MARKS) || []).sort().join("");
    return decomposed.replace(TONE_MARKS, "").normalize("NFC") + marks;
  }

  function collationKey(text) {
    var letters = [], tones = [];
    Array.from(String(text).normalize("NFC").toLowerCase()).forEach(function (char) {
      var decomposed = char.normalize("NFD");
      var tone = 0;
      Array.from(decomposed).forEach(function (mark) { if (TONE_RANK[mark] && !tone) { tone = TONE_RANK[mark]; } });
      var base = decomposed.replace(TONE_MARKS, "").normalize("NFC");
      var rank = ALPHABET.indexOf(base);
      if (rank >= 0) { letters.push([1, rank]); tones.push(tone); }
      else if (/^\s$/.test(base)) { letters.push([0, 0]); tones.push(0); }
      else { letters.push([0, base.codePointAt(0) || 0]); tones.push(0); }
    });
    return [letters, tones];
  }

  function compareLists(a, b) {
    for (var i = 0; i < Math.min(a.length, b.length); i++) {
      var x = a[i], y = b[i];
      if (Array.isArray(x)) {
        var inner = compareLists(x, y);
        if (inner) { return inner; }
      } else if (x !== y) {
        return x < y ? -1 : 1;
      }
    }
    return a.length - b.length;
  }

  function compareNames(a, b) {
    return compareLists(collationKey(a), collationKey(b));
  }

  function shardName(token) {
    var prefix = token.slice(0, 2);
    return /^[0-9a-z]{1,2}$/.test(prefix) ? prefix : "_";
  }

  function score(query, entry) {
    var marked = {}, folded = {};
    words(entry[NAME]).forEach(function (word) { marked[markKey(word)] = true; });
    tokens(entry[NAME]).forEach(function (token) { folded[token] = true; });
    var total = 0;
    words(query).forEach(function (word) {
      if (marked[markKey(word)]) { total += 10; }
      var first = tokens(word)[0];
      if (first && folded[first]) { total += 3; }
    });
    return total;
  }

  function rank(query, entries) {
    return entries.map(function (entry) { return [score(query, entry), entry]; })
      .sort(function (a, b) { return (b[0] - a[0]) || compareNames(a[1][NAME], b[1][NAME]); })
      .map(function (pair) { return pair[1]; });
  }

  function matches(query, text) {
    var textTokens = tokens(text);
    return tokens(query).every(function (token) { return textTokens.indexOf(token) >= 0; });
  }

  // --- fetching -------------------------------------------------------------------------------

  var cache = {};
  function fetchJson(url) {
    if (!cache[url]) {
      cache[url] = fetch(url).then(function (response) {
        if (response.status === 404) { return null; }
        if (!response.ok) { throw new Error(response.status + " " + url); }
        return response.json();
      });
    }
    return cache[url];
  }

  function findIds(base, queryTokens) {
    return Promise.all(queryTokens.map(function (token) {
      return fetchJson(base + shardName(token) + ".json");
    })).then(function (shards) {
      var result = null;
      queryTokens.forEach(function (token, position) {
        var shard = shards[position] || {};
        var last = position === queryTokens.length - 1;
        var ids = {};
        Object.keys(shard).forEach(function (word) {
          if (word === token || (last && token.length >= 2 && word.indexOf(token) === 0)) {
            shard[word].forEach(function (id) { ids[id] = true; });
          }
        });
        result = result === null ? ids : Object.keys(result).reduce(function (kept, id) {
          if (ids[id]) { kept[id] = true; }
          return kept;
        }, {});
      });
      return Object.keys(result || {}).map(Number);
    });
  }

  function loadEntries(base, meta, ids) {
    var chunks = {};
    ids.forEach(function (id) { chunks[Math.floor(id / meta.chunk)] = true; });
    return Promise.all(Object.keys(chunks).map(function (number) {
      return fetchJson(base + "tai-lieu-" + number + ".json").then(function (chunk) { return [Number(number), chunk]; });
    })).then(function (loaded) {
      var byChunk = {};
      loaded.forEach(function (pair) { byChunk[pair[0]] = pair[1]; });
      return ids.map(function (id) { return byChunk[Math.floor(id / meta.chunk)][id % meta.chunk]; });
    });
  }

  // --- the page -------------------------------------------------------------------------------

  function start(form) {
    var base = form.getAttribute("data-index");
    var site = form.getAttribute("data-site");
    var input = form.querySelector("#q");
    var status = document.getElementById("trang-thai-tim-kiem");
    var list = document.getElementById("ket-qua");
    var selects = {
      field: form.querySelector("#loc-linh-vuc"), kind: form.querySelector("#loc-loai"),
      domain: form.querySelector("#loc-mien"), province: form.querySelector("#loc-tinh"),
      year: form.querySelector("#loc-nam"), order: form.querySelector("#sap-xep")
    };
    var params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    var generation = 0;

    function keep(entry) {
      return (!selects.field.value || entry[FIELDS].indexOf(selects.field.value) >= 0) &&
        (!selects.kind.value || entry[KIND] === selects.kind.value) &&
        (!selects.domain.value || entry[DOMAINS].indexOf(selects.domain.value) >= 0) &&
        (!selects.province.value || entry[PROVINCE] === selects.province.value) &&
        (!selects.year.value || entry[YEAR] === selects.year.value);
    }

    function show(query, entries) {
      entries = entries.filter(keep);
      if (selects.order.value === "ten") {
        entries.sort(function (a, b) { return compareNames(a[NAME], b[NAME]); });
      } else if (selects.order.value === "moi-nhat" || !query) {
        entries.sort(function (a, b) { return a[DATE] < b[DATE] ? 1 : a[DATE] > b[DATE] ? -1 : 0; });
      } else {
        entries = rank(query, entries);
      }
      list.textContent = "";
      entries.slice(0, 50).forEach(function (entry) {
        var item = document.createElement("li");
        item.className = "card";
        var heading = document.createElement("h2");
        heading.className = "card-title";
        var link = document.createElement("a");
        link.href = site + "san-pham/" + entry[SLUG] + "/";
        link.textContent = entry[NAME];
        if (entry[NAME_LANG] && entry[NAME_LANG] !== document.documentElement.lang) { link.lang = entry[NAME_LANG]; }
        heading.appendChild(link);
        var owner = document.createElement("p");
        owner.className = "card-owner";
        owner.textContent = entry[ORGANISATION] + (entry[PROVINCE] ? " · " + entry[PROVINCE] : "");
        var summary = document.createElement("p");
        summary.className = "card-summary";
        summary.textContent = entry[SUMMARY];
        item.appendChild(heading);
        item.appendChild(owner);
        item.appendChild(summary);
        list.appendChild(item);
      });
      status.textContent = entries.length ? "Tìm thấy " + entries.length + " sản phẩm, giải pháp." : "Không tìm thấy sản phẩm, giải pháp nào.";
    }

    function run() {
      var current = ++generation;
      var query = input.value;
      var queryTokens = tokens(query);
      fetchJson(base + "meta.json").then(function (meta) {
        var ids;
        if (queryTokens.length) {
          ids = findIds(base, queryTokens);
        } else {
          var all = [];
          for (var i = 0; i < meta.count; i++) { all.push(i); }
          ids = Promise.resolve(all);
        }
        return ids.then(function (found) { return loadEntries(base, meta, found); });
      }).then(function (entries) {
        if (current === generation) { show(query, entries); }
      }).catch(function () {
        status.textContent = "Không tải được chỉ mục tìm kiếm. Hãy thử lại sau.";
      });
    }

    form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
    input.addEventListener("input", run);
    Object.keys(selects).forEach(function (key) { selects[key].addEventListener("change", run); });
    if (input.value) { run(); }
  }

  if (typeof document !== "undefined") {
    document.addEventListener("DOMContentLoaded", function () {
      var form = document.getElementById("tim-kiem");
      if (form) { start(form); }
    });
  }

  return { searchKey: searchKey, tokens: tokens, markKey: markKey, matches: matches, rank: rank,
           compareNames: compareNames, score: score };
})();
