// Search of the public catalogue over the sharded index that plugins/portal_public/search.py
// writes. Folding follows portal/textfold.py (search_key, collation_key) and the ranking follows
// search.py's `score` and `scored_ids`; tests/fixtures/folding_cases.json checks both sides with
// the same table. A query fetches one shard per word, then the metadata chunks of the results on
// screen only; the filter data (loc.json) is fetched once, when a filter or an order needs it.
"use strict";

var PortalSearch = (function () {
  var TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;
  var TONE_RANK = { "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5 };
  var ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz";
  var SLUG = 0, NAME = 1, NAME_LANG = 2, ORGANISATION = 3, PROVINCE = 4, YEAR = 5, DATE = 6,
      KIND = 7, FIELDS = 8, DOMAINS = 9, SUMMARY = 10, NAME_EN = 11, SUMMARY_EN = 12;
  var ALL = 0, IN_NAME = 1, SPELLINGS = 2;
  var MARKED_NAME_POINTS = 10, NAME_POINTS = 3;
  var PAGE_SIZE = 20;

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

  function undeltas(encoded) {
    var total = 0, numbers = new Array(encoded.length);
    for (var i = 0; i < encoded.length; i++) { total += encoded[i]; numbers[i] = total; }
    return numbers;
  }

  // {id: score} of the products with every query word (the last one also as a prefix), as
  // search.py's scored_ids computes it.
  function scoredIds(base, query) {
    var queryTokens = tokens(query);
    var names = {};
    queryTokens.forEach(function (token) { names[shardName(token)] = true; });
    words(query).forEach(function (word) { var t = tokens(word)[0]; if (t) { names[shardName(t)] = true; } });
    var list = Object.keys(names);
    return Promise.all(list.map(function (name) { return fetchJson(base + name + ".json"); })).then(function (loaded) {
      var shards = {};
      list.forEach(function (name, i) { shards[name] = loaded[i] || {}; });
      var result = null;
      for (var position = 0; position < queryTokens.length; position++) {
        var token = queryTokens[position];
        var shard = shards[shardName(token)];
        var last = position === queryTokens.length - 1;
        var ids = new Set();
        Object.keys(shard).forEach(function (word) {
          if (word === token || (last && token.length >= 2 && word.indexOf(token) === 0)) {
            undeltas(shard[word][ALL]).forEach(function (id) { ids.add(id); });
          }
        });
        if (result !== null) {
          var kept = new Set();
          ids.forEach(function (id) { if (result.has(id)) { kept.add(id); } });
          ids = kept;
        }
        result = ids;
        if (!result.size) { break; }
      }
      var scores = new Map();
      (result || new Set()).forEach(function (id) { scores.set(id, 0); });
      if (!scores.size) { return scores; }
      words(query).forEach(function (word) {
        var folded = tokens(word)[0];
        var entry = folded && shards[shardName(folded)][folded];
        if (!entry) { return; }
        undeltas(entry[IN_NAME]).forEach(function (id) {
          if (scores.has(id)) { scores.set(id, scores.get(id) + NAME_POINTS); }
        });
        undeltas(entry[SPELLINGS][markKey(word)] || []).forEach(function (id) {
          if (scores.has(id)) { scores.set(id, scores.get(id) + MARKED_NAME_POINTS); }
        });
      });
      return scores;
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

  function readMessages() {
    var element = document.getElementById("thong-diep-tim-kiem");
    try { return element ? JSON.parse(element.textContent) : {}; } catch (error) { return {}; }
  }

  /* Pick the plural form of a message for `count`: the page gives {"one": …, "other": …} from
   * gettext's ngettext, and the browser's plural rules for the page language choose. */
  function pluralForm(forms, count) {
    if (typeof forms === "string") { return forms; }
    var category = "other";
    try {
      category = new Intl.PluralRules(document.documentElement.lang || "vi").select(count);
    } catch (error) {
      category = "other";
    }
    return forms[category] || forms.other;
  }

  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (whole, key) {
      return key in values ? String(values[key]) : whole;
    });
  }

  function start(form) {
    var base = form.getAttribute("data-index");
    var site = form.getAttribute("data-site");
    var language = form.getAttribute("data-lang") || document.documentElement.lang;
    var messages = readMessages();
    var input = form.querySelector("#q");
    var status = document.getElementById("trang-thai-tim-kiem");
    var list = document.getElementById("ket-qua");
    var selects = {
      field: form.querySelector("#loc-linh-vuc"), kind: form.querySelector("#loc-loai"),
      domain: form.querySelector("#loc-mien"), province: form.querySelector("#loc-tinh"),
      year: form.querySelector("#loc-nam"), order: form.querySelector("#sap-xep")
    };
    var more = document.createElement("button");
    more.type = "button";
    more.className = "search-more";
    more.textContent = messages.more || "Xem thêm kết quả";
    more.hidden = true;
    list.parentNode.insertBefore(more, list.nextSibling);
    var params = new URLSearchParams(window.location.search);
    input.value = params.get("q") || "";
    var generation = 0;
    var ordered = [], shown = 0, meta = null;

    function filtering() {
      return Boolean(selects.field.value || selects.kind.value || selects.domain.value ||
                     selects.province.value || selects.year.value);
    }

    function keep(facets) {
      var field = facets.fields.indexOf(selects.field.value), kind = facets.kinds.indexOf(selects.kind.value),
          domain = facets.domains.indexOf(selects.domain.value), province = facets.provinces.indexOf(selects.province.value),
          year = Number(selects.year.value);
      return function (id) {
        return (!selects.field.value || facets.field[id].indexOf(field) >= 0) &&
          (!selects.kind.value || facets.kind[id] === kind) &&
          (!selects.domain.value || facets.domain[id].indexOf(domain) >= 0) &&
          (!selects.province.value || facets.province[id] === province) &&
          (!selects.year.value || facets.year[id] === year);
      };
    }

    function card(entry) {
      var english = language === "en" && entry[NAME_EN];
      var name = english ? entry[NAME_EN] : entry[NAME];
      var nameLang = english ? "en" : entry[NAME_LANG];
      var summary = language === "en" && entry[SUMMARY_EN] ? entry[SUMMARY_EN] : entry[SUMMARY];
      var summaryLang = language === "en" && entry[SUMMARY_EN] ? "en" : entry[NAME_LANG];
      var item = document.createElement("li");
      item.className = "card";
      var heading = document.createElement("h2");
      heading.className = "card-title";
      var link = document.createElement("a");
      link.href = site + "san-pham/" + entry[SLUG] + "/";
      link.textContent = name;
      if (nameLang && nameLang !== language) { link.lang = nameLang; }
      heading.appendChild(link);
      var owner = document.createElement("p");
      owner.className = "card-owner";
      owner.textContent = entry[ORGANISATION] + (entry[PROVINCE] ? " · " + entry[PROVINCE] : "");
      var text = document.createElement("p");
      text.className = "card-summary";
      text.textContent = summary;
      if (summaryLang && summaryLang !== language) { text.lang = summaryLang; }
      item.appendChild(heading);
      item.appendChild(owner);
      item.appendChild(text);
      return item;
    }

    function showPage(current) {
      var ids = ordered.slice(shown, shown + PAGE_SIZE);
      return loadEntries(base, meta, ids).then(function (entries) {
        if (current !== generation) { return; }
        entries.forEach(function (entry) { list.appendChild(card(entry)); });
        shown += ids.length;
        more.hidden = shown >= ordered.length;
        if (!ordered.length) {
          status.textContent = messages.none || "Không tìm thấy sản phẩm, giải pháp nào.";
        } else if (shown < ordered.length) {
          status.textContent = fill(pluralForm(messages.found_more, ordered.length), { count: ordered.length, shown: shown });
        } else {
          status.textContent = fill(pluralForm(messages.found, ordered.length), { count: ordered.length });
        }
      });
    }

    function run() {
      var current = ++generation;
      var query = input.value;
      var order = selects.order.value;
      var queryTokens = tokens(query);
      var needFacets = filtering() || order === "moi-nhat" || !queryTokens.length;
      Promise.all([
        fetchJson(base + "meta.json"),
        queryTokens.length ? scoredIds(base, query) : Promise.resolve(null),
        needFacets ? fetchJson(base + "loc.json") : Promise.resolve(null)
      ]).then(function (loaded) {
        meta = loaded[0];
        var scores = loaded[1], facets = loaded[2];
        var ids;
        if (scores) {
          ids = Array.from(scores.keys());
        } else {
          ids = [];
          for (var i = 0; i < meta.count; i++) { ids.push(i); }
        }
        if (facets && filtering()) { ids = ids.filter(keep(facets)); }
        if (order === "ten") {
          ids.sort(function (a, b) { return a - b; });
        } else if (order === "moi-nhat" || !scores) {
          ids.sort(function (a, b) { return facets.newest[a] - facets.newest[b]; });
        } else {
          ids.sort(function (a, b) { return (scores.get(b) - scores.get(a)) || (a - b); });
        }
        if (current !== generation) { return; }
        ordered = ids;
        shown = 0;
        list.textContent = "";
        return showPage(current);
      }).catch(function () {
        if (current === generation) { status.textContent = messages.failed || "Không tải được chỉ mục tìm kiếm. Hãy thử lại sau."; }
      });
    }

    form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
    input.addEventListener("input", run);
    Object.keys(selects).forEach(function (key) { selects[key].addEventListener("change", run); });
    more.addEventListener("click", function () { showPage(generation); });
    if (input.value) { run(); }
  }

  if (typeof document !== "undefined") {
    document.addEventListener("DOMContentLoaded", function () {
      var form = document.getElementById("tim-kiem");
      if (form) { start(form); }
    });
  }

  return { searchKey: searchKey, tokens: tokens, markKey: markKey, matches: matches, rank: rank,
           compareNames: compareNames, score: score, scoredIds: scoredIds };
})();
