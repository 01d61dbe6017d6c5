/* The submission form "Gửi đề xuất", generated in the browser from schema/proposal.schema.json.
 *
 * The page loads the published schema and `du-lieu.json` (provinces, countries, the message
 * catalogue shared with the command line) and builds the form from the schema's titles,
 * descriptions, enums and `x-labels`. A small validator below covers exactly the JSON Schema
 * keywords the proposal schema uses and stops with a console error on any other keyword, so a
 * schema change can never be silently ignored. The checks a schema cannot express (tax-code check
 * digit, provinces, real dates) follow portal/checks.py and portal/provinces.py. The table
 * tests/fixtures/form_cases.json is run against both sides and must give the same verdicts.
 *
 * Plain JavaScript, no framework, no build step, no request to another host.
 */
(function () {
  "use strict";

  const DRAFT_KEY = "portal.gui-de-xuat.ban-nhap";
  // Keys the form does not show: `source` is written only by the importer of other registries.
  const SKIPPED_KEYS = new Set(["source"]);
  // Fixes in the catalogue that speak of YAML lines, which mean nothing in a form.
  const FIXES_HIDDEN_IN_FORM = new Set(["schema.required", "schema.additional", "schema.type"]);

  const VALIDATION_KEYWORDS = new Set([
    "type", "enum", "const", "pattern", "format", "minLength", "maxLength", "minimum", "maximum",
    "minItems", "maxItems", "uniqueItems", "items", "contains", "required", "properties",
    "additionalProperties", "minProperties", "$ref", "oneOf", "allOf", "if", "then",
  ]);
  // Interface texts in Vietnamese, used for any key the page leaves out. The page gives them in its
  // own language as JSON in <script id="phieu-van-ban">. A "{name}" slot is filled in by `t`.
  const DEFAULT_TEXTS = {
    choose: "— Chọn —",
    choose_owner_type: "Chọn loại chủ sở hữu để hiện các mục cần điền.",
    add_item: "Thêm {item}",
    remove_item: "Xóa {item} {number}",
    fix_prefix: "Cách sửa: ",
    errors_left: "Hồ sơ còn {count} lỗi. Các mục cần sửa được đánh dấu ngay bên dưới từng mục; con trỏ đã chuyển tới lỗi đầu tiên.",
    file_ready: "Hồ sơ hợp lệ. Tệp {file} đã sẵn sàng để tải về hoặc mở trên GitHub.",
    copied: "Đã chép nội dung tệp vào bộ nhớ tạm. Trên trang GitHub vừa mở, dán (Ctrl+V) vào ô nội dung rồi gửi yêu cầu kéo.",
    copy_failed: "Không chép được vào bộ nhớ tạm. Hãy chọn toàn bộ nội dung trong ô \"Nội dung tệp\", chép rồi dán vào trang GitHub.",
    draft_restored: "Đã khôi phục bản nháp lưu lúc {time}.",
    draft_cleared: "Đã xóa bản nháp. Phiếu đã trở về trạng thái trống.",
    preview_name: "Tên sản phẩm, giải pháp",
    preview_fields: "Lĩnh vực",
    preview_owner: "Chủ sở hữu",
    preview_deployments: "Triển khai",
    preview_awards: "Giải thưởng",
    load_failed: "Không tải được phiếu đề xuất. Hãy tải lại trang; nếu lỗi còn tiếp diễn, hãy gửi đề xuất bằng tệp mẫu theo hướng dẫn gửi đề xuất.",
  };

  function pageTexts() {
    const source = document.getElementById("phieu-van-ban");
    if (!source) return {};
    try {
      return JSON.parse(source.textContent) || {};
    } catch (error) {
      console.warn("PortalForm: the interface texts of the page are unreadable", error);
      return {};
    }
  }

  /* Return the interface text `key` in the page's language with its "{name}" slots filled. */
  function t(key, values) {
    const texts = pageTexts();
    let template = texts[key];
    if (template && typeof template === "object") {
      // Plural forms from gettext's ngettext, chosen by the page language's plural rules.
      let category = "other";
      try { category = new Intl.PluralRules(pageLanguage()).select(Number(values && values.count)); } catch (error) { category = "other"; }
      template = template[category] || template.other;
    }
    if (typeof template !== "string") template = DEFAULT_TEXTS[key];
    return template.replace(/\{([a-z_]+)\}/g, (slot, name) => (values && name in values ? String(values[name]) : slot));
  }

  function pageLanguage() {
    return document.documentElement.lang || "vi";
  }

  const ANNOTATION_KEYWORDS = new Set([
    "$schema", "$id", "$defs", "$comment", "title", "description", "default", "examples",
    "x-hint", "x-labels", "x-discriminator", "enumDescriptions",
  ]);

  // --- text folding, as portal/textfold.py ----------------------------------------------------

  const TONE_MARKS = new Set(["\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]);

  /* Lower-case `text`, drop every combining mark and fold đ to d (textfold.search_key). */
  function searchKey(text) {
    const bare = text.normalize("NFD").replace(/\p{Mn}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D");
    return bare.normalize("NFC").toLowerCase().replace(/\s+/gu, " ").trim();
  }

  function wordKey(word) {
    const chars = Array.from(word.toLowerCase().normalize("NFD"));
    const tones = chars.filter((char) => TONE_MARKS.has(char)).sort();
    const letters = chars.filter((char) => !TONE_MARKS.has(char)).join("");
    return letters.normalize("NFC") + tones.join("");
  }

  /* Key equal for names that differ only in case or tone-mark placement (textfold.name_key). */
  function nameKey(text) {
    const words = text.normalize("NFC").match(/[\p{L}\p{N}_]+/gu) || [];
    return words.map(wordKey).join(" ");
  }

  // --- checks a schema cannot express, as portal/checks.py and portal/provinces.py ------------

  const TAX_CODE = /^[0-9]{10}(?:-[0-9]{3})?$/;
  const PARTIAL_DATE = /^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$/;
  const TAX_WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3];

  /* Validate a Vietnamese tax code as python-stdnum 2.2 `stdnum.vn.mst.is_valid` does.
   * The check digit is 10 - (weighted sum mod 11). A remainder of 0 would need the digit 10,
   * so no number with that remainder is valid. */
  function taxCodeValid(text) {
    const number = String(text).replace(/[ .-]/g, "").trim();
    if (number.length !== 10 && number.length !== 13) return false;
    if (!/^[0-9]+$/.test(number)) return false;
    if (number.slice(2, 9) === "0000000") return false;
    if (number.length === 13 && number.slice(-3) === "000") return false;
    let total = 0;
    TAX_WEIGHTS.forEach((weight, index) => { total += weight * Number(number[index]); });
    return number[9] === String(10 - (total % 11));
  }

  function shortProvinceName(official) {
    for (const prefix of ["Thành phố ", "Tỉnh "]) {
      if (official.startsWith(prefix)) return official.slice(prefix.length);
    }
    return official;
  }

  /* Drop a leading "Tỉnh", "Thành phố" or "TP." however it is spelt, as provinces.strip_prefix does. */
  function stripProvincePrefix(text) {
    const words = text.split(/\s+/).filter(Boolean);
    if (words.length > 1 && ["tinh", "tp", "tp."].includes(searchKey(words[0]))) return words.slice(1).join(" ");
    if (words.length > 2 && searchKey(words.slice(0, 2).join(" ")) === "thanh pho") return words.slice(2).join(" ");
    return text;
  }

  function buildProvinceIndex(data) {
    const exact = new Map();
    const byNameKey = new Map();
    const bySearchKey = new Map();
    for (const official of data.official_provinces) {
      for (const variant of new Set([official, shortProvinceName(official)])) {
        exact.set(variant, official);
        byNameKey.set(nameKey(variant), official);
        bySearchKey.set(searchKey(variant), official);
      }
    }
    return { exact, byNameKey, bySearchKey };
  }

  /* Check one province name; return {ok, canonical} or {ok: false, code, suggestion}. */
  function checkProvince(data, index, text, allowNationwide) {
    const value = String(text).normalize("NFC").trim();
    if (allowNationwide && value === data.nationwide) return { ok: true, canonical: value, code: "", suggestion: "" };
    if (index.exact.has(value)) return { ok: true, canonical: index.exact.get(value), code: "", suggestion: "" };

    const bare = stripProvincePrefix(value);
    if (index.exact.has(bare)) return { ok: true, canonical: index.exact.get(bare), code: "", suggestion: "" };
    for (const [former, successor] of Object.entries(data.former_provinces)) {
      if (nameKey(bare) === nameKey(former) || searchKey(bare) === searchKey(former)) {
        const official = index.exact.get(successor) || index.exact.get("Thành phố " + successor);
        const suggestion = official ? shortProvinceName(official) : successor;
        return { ok: false, canonical: "", code: "check.province_merged", suggestion };
      }
    }
    const lookups = [
      [index.byNameKey, nameKey(value)], [index.byNameKey, nameKey(bare)],
      [index.bySearchKey, searchKey(value)], [index.bySearchKey, searchKey(bare)],
    ];
    for (const [map, key] of lookups) {
      if (map.has(key)) {
        return { ok: false, canonical: "", code: "check.province_spelling", suggestion: shortProvinceName(map.get(key)) };
      }
    }
    return { ok: false, canonical: "", code: "check.province_unknown", suggestion: "" };
  }

  function today() {
    const now = new Date();
    return [now.getFullYear(), now.getMonth() + 1, now.getDate()];
  }

  function compareDates(a, b) {
    for (let i = 0; i < 3; i += 1) {
      if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
    }
    return 0;
  }

  function isRealDate(year, month, day) {
    if (year < 1 || month < 1 || month > 12 || day < 1) return false;
    return day <= daysInMonth(year, month);
  }

  function daysInMonth(year, month) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  }

  /* Run the checks of portal/checks.py that apply to a proposal without its file or folder. */
  function extraChecks(data, index, doc) {
    const problems = [];
    const add = (code, path, params) => problems.push({ code, path, params: params || {} });
    if (!doc || typeof doc !== "object" || Array.isArray(doc)) return problems;

    const owner = doc.owner;
    if (owner && typeof owner === "object" && !Array.isArray(owner)) {
      const country = owner.country;
      const countryCodes = new Set(data.countries.map((row) => row.code));
      if (typeof country === "string" && /^[A-Z]{2}$/.test(country) && !countryCodes.has(country)) {
        add("check.country_code", ["owner", "country"], { value: country });
      }
      const taxCode = owner.tax_code;
      if (typeof taxCode === "string" && TAX_CODE.test(taxCode) && !taxCodeValid(taxCode)) {
        add("check.tax_code_checksum", ["owner", "tax_code"], { value: taxCode });
      }
      const province = owner.province;
      if (typeof province === "string" && province.trim() && country === "VN") {
        const verdict = checkProvince(data, index, province, false);
        if (!verdict.ok) add(verdict.code, ["owner", "province"], { value: province, expected: verdict.suggestion });
      }
    }

    if (Array.isArray(doc.deployments)) {
      doc.deployments.forEach((deployment, position) => {
        if (!deployment || typeof deployment !== "object" || Array.isArray(deployment)) return;
        const province = deployment.province;
        if (typeof province === "string" && province.trim()) {
          const verdict = checkProvince(data, index, province, true);
          if (!verdict.ok) {
            add(verdict.code, ["deployments", position, "province"], { value: province, expected: verdict.suggestion });
          }
        }
        const since = deployment.since;
        if (typeof since === "string" && PARTIAL_DATE.test(since)) {
          const parts = since.split("-").map(Number).concat([1, 1]).slice(0, 3);
          const path = ["deployments", position, "since"];
          if (!isRealDate(parts[0], parts[1], parts[2])) add("check.date_invalid", path, { value: since });
          else if (compareDates(parts, today()) > 0) add("check.date_future", path, { value: since });
        }
      });
    }

    if (Array.isArray(doc.awards)) {
      doc.awards.forEach((award, position) => {
        const year = award && typeof award === "object" ? award.year : undefined;
        const isYear = (typeof year === "number" && Number.isInteger(year) && year >= 0) ||
          (typeof year === "string" && /^[0-9]+$/.test(year));
        if (isYear && Number(year) > today()[0]) {
          add("check.date_future", ["awards", position, "year"], { value: year });
        }
      });
    }
    return problems;
  }

  // --- the schema and its validator -----------------------------------------------------------

  function formatPath(path) {
    let text = "";
    for (const part of path) {
      if (typeof part === "number") text += "[" + part + "]";
      else text += (text ? "." : "") + part;
    }
    return text;
  }

  class SchemaTree {
    constructor(root) {
      this.root = root;
      this.patterns = new Map();
      this.checkKeywords();
    }

    pointer(ref) {
      if (!ref.startsWith("#/")) throw new Error("Unsupported $ref " + ref + ": only local references are handled");
      let target = this.root;
      for (const part of ref.slice(2).split("/")) {
        target = target[part];
        if (target === undefined) throw new Error("Unresolvable $ref " + ref);
      }
      return target;
    }

    /* Follow $ref one level at a time; the referring schema's own keywords win over the target's,
     * as portal.schemas.resolve does. */
    resolve(node) {
      let current = node;
      for (let depth = 0; current && typeof current === "object" && "$ref" in current; depth += 1) {
        if (depth > 10) throw new Error("$ref chain too long at " + node.$ref);
        const merged = Object.assign({}, this.pointer(current.$ref));
        for (const [key, value] of Object.entries(current)) {
          if (key !== "$ref") merged[key] = value;
        }
        if (current.$ref === merged.$ref) delete merged.$ref;
        current = merged;
      }
      return current;
    }

    /* Walk every subschema reachable from the root and stop on a keyword the validator lacks. */
    checkKeywords() {
      const seen = new Set();
      const unknown = [];
      const visit = (node, where) => {
        if (!node || typeof node !== "object" || seen.has(node)) return;
        seen.add(node);
        for (const key of Object.keys(node)) {
          if (!VALIDATION_KEYWORDS.has(key) && !ANNOTATION_KEYWORDS.has(key)) unknown.push(where + "/" + key);
        }
        if (node.$ref) visit(this.pointer(node.$ref), node.$ref);
        for (const [key, child] of Object.entries(node.properties || {})) visit(child, where + "/properties/" + key);
        for (const key of ["items", "contains", "if", "then"]) {
          if (node[key]) visit(node[key], where + "/" + key);
        }
        for (const key of ["oneOf", "allOf"]) {
          (node[key] || []).forEach((child, position) => visit(child, where + "/" + key + "/" + position));
        }
      };
      visit(this.root, "#");
      if (unknown.length) {
        const message = "PortalForm: the proposal schema uses keywords this validator does not implement: " + unknown.join(", ");
        console.error(message);
        throw new Error(message);
      }
    }

    regex(pattern) {
      if (!this.patterns.has(pattern)) {
        // Python's re.search (used by jsonschema) lets a final "$" match before a trailing
        // newline; the lookahead gives JavaScript the same behaviour.
        const source = /(^|[^\\])\$$/.test(pattern) ? pattern.slice(0, -1) + "(?=\\n?$)" : pattern;
        this.patterns.set(pattern, new RegExp(source, "u"));
      }
      return this.patterns.get(pattern);
    }
  }

  function typeOf(value) {
    if (value === null) return "null";
    if (Array.isArray(value)) return "array";
    if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
    return typeof value;
  }

  function pythonTypeName(value) {
    const names = {
      null: "để trống", boolean: "giá trị đúng/sai (true/false)", integer: "số nguyên", number: "float",
      string: "văn bản", array: "danh sách", object: "nhóm khóa con",
    };
    return names[typeOf(value)] || typeof value;
  }

  function typeMatches(expected, value) {
    const actual = typeOf(value);
    if (expected === "number") return actual === "integer" || actual === "number";
    return expected === actual;
  }

  function canonicalJson(value) {
    if (Array.isArray(value)) return "[" + value.map(canonicalJson).join(",") + "]";
    if (value && typeof value === "object") {
      return "{" + Object.keys(value).sort().map((key) => JSON.stringify(key) + ":" + canonicalJson(value[key])).join(",") + "}";
    }
    return JSON.stringify(value);
  }

  function sameValue(a, b) {
    return canonicalJson(a) === canonicalJson(b);
  }

  function codePointLength(text) {
    return Array.from(text).length;
  }

  class Validator {
    constructor(tree, data) {
      this.tree = tree;
      this.data = data;
      this.email = new RegExp(data.email_pattern);
    }

    validate(instance) {
      const errors = [];
      this.check(this.tree.root, instance, [], errors);
      return errors;
    }

    isValid(node, instance) {
      const errors = [];
      this.check(node, instance, [], errors);
      return errors.length === 0;
    }

    check(rawNode, value, path, errors) {
      const node = this.tree.resolve(rawNode);
      const add = (code, params, at) => errors.push({ code, path: at || path, params: params || {}, node });
      const hint = node["x-hint"] || "";

      if (node.type !== undefined) {
        const expected = Array.isArray(node.type) ? node.type : [node.type];
        if (!expected.some((name) => typeMatches(name, value))) {
          if (value === null) add("schema.empty");
          else {
            const names = expected.map((name) => this.data.type_names[name] || name).join(" hoặc ");
            add("schema.type", { expected: names, actual: pythonTypeName(value), hint: hint || "Xem mô tả của mục này trong lược đồ." });
          }
        }
      }
      if (node.enum !== undefined && !node.enum.some((choice) => sameValue(choice, value))) {
        const labels = node["x-labels"] || {};
        const choices = node.enum.map((code) => (labels[code] ? code + " (" + labels[code].vi + ")" : String(code))).join(", ");
        add("schema.enum", { value, choices });
      }
      if (node.const !== undefined && !sameValue(node.const, value)) add("schema.const", { value, expected: node.const });

      const kind = typeOf(value);
      if (kind === "string") this.checkString(node, value, add, hint);
      if ((kind === "integer" || kind === "number")) {
        if ((node.minimum !== undefined && value < node.minimum) || (node.maximum !== undefined && value > node.maximum)) {
          add("schema.range", { value, minimum: node.minimum === undefined ? "" : node.minimum, maximum: node.maximum === undefined ? "" : node.maximum });
        }
      }
      if (kind === "array") this.checkArray(node, value, path, errors, add);
      if (kind === "object") this.checkObject(node, value, path, errors, add);

      for (const sub of node.allOf || []) this.check(sub, value, path, errors);
      if (node.if !== undefined && node.then !== undefined && this.isValid(node.if, value)) {
        this.check(node.then, value, path, errors);
      }
      if (node.oneOf) this.checkOneOf(node, value, path, errors, add);
    }

    checkString(node, value, add, hint) {
      const length = codePointLength(value);
      if (node.minLength !== undefined && length < node.minLength) {
        if (!value.trim()) add("schema.empty");
        else add("schema.min_length", { length, limit: node.minLength });
      }
      if (node.maxLength !== undefined && length > node.maxLength) add("schema.max_length", { length, limit: node.maxLength });
      if (node.pattern !== undefined && !this.tree.regex(node.pattern).test(value)) {
        add("schema.pattern", { value, hint: hint || "Xem mô tả của mục này trong lược đồ." });
      }
      if (node.format !== undefined && !this.formatValid(node.format, value)) {
        add("schema.format", { value, format_name: this.data.format_names[node.format] || node.format, hint: hint || "Xem mô tả của mục này." });
      }
    }

    formatValid(format, value) {
      if (format === "email") return this.email.test(value);
      if (format === "date") {
        // Python 3.11's date.fromisoformat also reads the basic form YYYYMMDD.
        const match = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(value) || /^([0-9]{4})([0-9]{2})([0-9]{2})$/.exec(value);
        return Boolean(match) && isRealDate(Number(match[1]), Number(match[2]), Number(match[3]));
      }
      const message = "PortalForm: the proposal schema uses format \"" + format + "\", which this validator does not check";
      console.error(message);
      throw new Error(message);
    }

    checkArray(node, value, path, errors, add) {
      if (node.minItems !== undefined && value.length < node.minItems) add("schema.min_items", { limit: node.minItems, count: value.length });
      if (node.maxItems !== undefined && value.length > node.maxItems) add("schema.max_items", { limit: node.maxItems, count: value.length });
      if (node.uniqueItems) {
        const seen = new Set(value.map(canonicalJson));
        if (seen.size !== value.length) add("schema.unique_items");
      }
      if (node.items !== undefined) {
        value.forEach((item, position) => this.check(node.items, item, path.concat([position]), errors));
      }
      if (node.contains !== undefined && !value.some((item) => this.isValid(node.contains, item))) {
        const parent = this.tree.resolve(this.schemaAt(path));
        const expected = node.contains.const !== undefined ? node.contains.const : "";
        add("schema.contains", { expected, hint: (parent && (parent["x-hint"] || parent.description)) || "" });
      }
    }

    checkObject(node, value, path, errors, add) {
      for (const key of node.required || []) {
        if (Object.prototype.hasOwnProperty.call(value, key)) continue;
        const child = this.tree.resolve((node.properties || {})[key] || {});
        add("schema.required", { key, key_title: child.title || key, parent: formatPath(path) || "cấp ngoài cùng của tệp" }, path.concat([key]));
      }
      const properties = node.properties || {};
      for (const [key, item] of Object.entries(value)) {
        if (Object.prototype.hasOwnProperty.call(properties, key)) this.check(properties[key], item, path.concat([key]), errors);
        else if (node.additionalProperties === false) add("schema.additional", { key, suggestion: "" }, path.concat([key]));
      }
      if (node.minProperties !== undefined && Object.keys(value).length < node.minProperties) {
        add("schema.min_properties", { hint: node["x-hint"] || "" });
      }
    }

    /* Report the real cause inside the branch the discriminator chooses, as the command line does. */
    checkOneOf(node, value, path, errors, add) {
      const matching = node.oneOf.filter((branch) => this.isValid(branch, value));
      if (matching.length === 1) return;
      const discriminator = node["x-discriminator"];
      if (discriminator && value && typeof value === "object" && !Array.isArray(value)) {
        for (const branch of node.oneOf.map((item) => this.tree.resolve(item))) {
          const tag = ((branch.properties || {})[discriminator] || {}).const;
          if (tag !== undefined && tag === value[discriminator]) {
            this.check(branch, value, path, errors);
            return;
          }
        }
        return;
      }
      add("schema.one_of", { hint: node["x-hint"] || node.description || "" });
    }

    /* Return the subschema at a path, choosing oneOf branches by the discriminator. */
    schemaAt(path, instance) {
      let node = this.tree.resolve(this.tree.root);
      let value = instance;
      for (const part of path) {
        node = this.chooseBranch(node, value);
        if (!node) return null;
        node = typeof part === "number" ? node.items : (node.properties || {})[part];
        if (!node) return null;
        node = this.tree.resolve(node);
        value = value && typeof value === "object" ? value[part] : undefined;
      }
      return node;
    }

    chooseBranch(node, value) {
      if (!node.oneOf || !node["x-discriminator"] || !value || typeof value !== "object") return node;
      const discriminator = node["x-discriminator"];
      for (const branch of node.oneOf.map((item) => this.tree.resolve(item))) {
        if (((branch.properties || {})[discriminator] || {}).const === value[discriminator]) return branch;
      }
      return node;
    }
  }

  // --- messages -------------------------------------------------------------------------------

  function renderMessage(data, code, params) {
    const entry = (data.messages[code] || data.messages["schema.other"]).vi;
    const fill = (template) => template.replace(/\{([a-z_]+)\}/g, (_, name) => (params && params[name] !== undefined ? String(params[name]) : ""));
    return { message: fill(entry.message), fix: fill(entry.fix) };
  }

  // --- YAML output ------------------------------------------------------------------------------

  // Characters YAML does not allow raw inside a double-quoted scalar, or that PyYAML reads as a
  // line break (NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR) or a byte order mark.
  const YAML_ESCAPE = /[\u007f-\u009f\u2028\u2029\ufeff]/g;

  function quoted(text) {
    return JSON.stringify(text).replace(YAML_ESCAPE, (char) => "\\u" + char.charCodeAt(0).toString(16).padStart(4, "0"));
  }

  /* A multi-line text as a literal block scalar, kept exactly: the chomping indicator keeps
   * trailing newlines as they are, and an explicit indentation indicator allows a first line
   * that starts with spaces. Texts a literal block cannot hold exactly fall back to quotes. */
  function blockScalar(text, indent) {
    if (/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff]/.test(text)) return quoted(text);
    const trailing = /\n*$/.exec(text)[0].length;
    let chomp = "+";
    if (trailing === 0) chomp = "-";
    else if (trailing === 1) chomp = "";
    const body = trailing === 0 ? text : text.slice(0, text.length - trailing);
    const lines = body.split("\n");
    const padding = " ".repeat(indent + 2);
    const header = "|" + (/^[ \n]/.test(body) ? "2" : "") + chomp;
    const out = lines.map((line) => (line ? padding + line : ""));
    for (let i = 1; i < trailing; i += 1) out.push("");
    return header + "\n" + out.join("\n");
  }

  function scalar(value, indent) {
    if (typeof value === "string") return value.includes("\n") ? blockScalar(value, indent) : quoted(value);
    return String(value);
  }

  function emitMapping(object, indent, lines, firstPrefix) {
    let prefix = firstPrefix;
    const padding = " ".repeat(indent);
    for (const [key, value] of Object.entries(object)) {
      const lead = prefix !== undefined ? prefix : padding;
      prefix = undefined;
      if (Array.isArray(value)) {
        lines.push(lead + key + ":");
        emitSequence(value, indent + 2, lines);
      } else if (value && typeof value === "object") {
        lines.push(lead + key + ":");
        emitMapping(value, indent + 2, lines);
      } else {
        lines.push(lead + key + ": " + scalar(value, indent));
      }
    }
  }

  function emitSequence(items, indent, lines) {
    const padding = " ".repeat(indent);
    for (const item of items) {
      if (item && typeof item === "object" && !Array.isArray(item)) {
        emitMapping(item, indent + 2, lines, padding + "- ");
      } else {
        lines.push(padding + "- " + scalar(item, indent + 2));
      }
    }
  }

  /* Write a proposal as YAML that portal.yamlread reads back to the same data: every string is
   * quoted or a literal block, so no text is read as a number, a boolean or a date. */
  function toYaml(data, doc) {
    const lines = [data.schema_comment];
    emitMapping(doc, 0, lines);
    return lines.join("\n") + "\n";
  }

  function proposalPath(data, slug) {
    return data.proposals_dir + "/" + slug + ".yaml";
  }

  /* Return GitHub's "new file" address for the proposal, with the content when it fits. */
  function githubLink(data, slug, yaml) {
    const base = "https://github.com/" + data.github_repository + "/new/" + data.github_branch +
      "?filename=" + encodeURIComponent(proposalPath(data, slug));
    const full = base + "&value=" + encodeURIComponent(yaml);
    if (full.length <= data.max_url_length) return { url: full, complete: true };
    return { url: base, complete: false };
  }

  function slugify(text) {
    const bare = text.normalize("NFD").replace(/\p{Mn}/gu, "").replace(/[đĐ]/g, "d").toLowerCase();
    let slug = bare.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    if (slug.length > 80) slug = slug.slice(0, 80).replace(/-[^-]*$/, "");
    return slug;
  }

  // --- building the form from the schema --------------------------------------------------------

  let idCounter = 0;

  function element(tag, attributes, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key === "className") node.className = value;
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children || []) {
      if (child) node.append(child);
    }
    return node;
  }

  function isMultilingual(node) {
    const keys = Object.keys(node.properties || {});
    return node.type === "object" && keys.length > 0 && keys.every((key) => key === "vi" || key === "en");
  }

  function cleanText(value, multiline) {
    const text = value.replace(/\r\n?/g, "\n");
    const trimmed = multiline ? text.replace(/^(?:[ \t]*\n)+/, "").replace(/\s+$/, "") : text.trim();
    return trimmed === "" ? undefined : trimmed;
  }

  class FormBuilder {
    constructor(app) {
      this.app = app;
      this.tree = app.tree;
      this.registry = new Map();
    }

    newId(path) {
      idCounter += 1;
      const stem = formatPath(path).replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "");
      return "truong-" + (stem || "goc") + "-" + idCounter;
    }

    register(path, node) {
      node.path = path;
      this.registry.set(formatPath(path), node);
      return node;
    }

    helpFor(node, id) {
      return node.description ? element("p", { className: "field-help", id: id + "-huong-dan", text: node.description }) : null;
    }

    errorBox(id) {
      return element("p", { className: "field-error", id: id + "-loi", hidden: true });
    }

    labelText(node, key, required) {
      const text = node.title || key;
      const label = element("span", { text });
      if (required) label.append(element("span", { className: "required-mark", text: " *", "aria-hidden": "true" }));
      return label;
    }

    /* Build the control for one property and return its node: {element, get, set, ...}. */
    build(rawNode, key, path, required, context) {
      const node = this.tree.resolve(rawNode);
      if (node.const !== undefined) return this.constant(node, path);
      if (node.oneOf && node["x-discriminator"]) return this.discriminated(node, key, path, required);
      if (key === "province") return this.choice(node, key, path, required, this.provinceChoices(context));
      if (key === "country") {
        const choices = this.app.data.countries.map((row) => ({ value: row.code, label: row.name + " (" + row.code + ")" }));
        return this.choice(node, key, path, required, choices, "VN");
      }
      if (node.enum) return this.choice(node, key, path, required, this.enumChoices(node));
      if (node.type === "array") {
        const items = this.tree.resolve(node.items || {});
        if (items.enum) return this.checkboxes(node, items, key, path, required);
        return this.repeatable(node, items, key, path, required);
      }
      if (isMultilingual(node)) return this.multilingual(node, key, path, required);
      if (node.type === "object") return this.group(node, key, path, required);
      if (node.type === "boolean") return this.checkbox(node, key, path);
      return this.text(node, key, path, required);
    }

    enumChoices(node) {
      const labels = node["x-labels"] || {};
      return node.enum.map((code) => ({ value: code, label: labels[code] ? labels[code].vi : String(code) }));
    }

    provinceChoices(context) {
      const data = this.app.data;
      const choices = data.provinces.map((name) => ({ value: name, label: name }));
      if (context && context.nationwide) choices.unshift({ value: data.nationwide, label: data.nationwide });
      return choices;
    }

    constant(node, path) {
      const wrapper = element("div", { hidden: true });
      return this.register(path, { element: wrapper, get: () => node.const, set: () => {}, focus: () => {} });
    }

    field(node, key, path, required, control, id) {
      const help = this.helpFor(node, id);
      const error = this.errorBox(id);
      control.setAttribute("aria-describedby", [help && help.id, error.id].filter(Boolean).join(" "));
      if (required) control.setAttribute("aria-required", "true");
      const label = element("label", { for: id }, [this.labelText(node, key, required)]);
      return element("div", { className: "field" }, [label, help, control, error]);
    }

    text(node, key, path, required) {
      const id = this.newId(path);
      const multiline = (node.maxLength || 0) > 300 && !node.pattern;
      const attributes = { id, name: formatPath(path), autocomplete: "off" };
      if (node.format === "email") Object.assign(attributes, { type: "email", autocomplete: "email" });
      else if (key === "phone") Object.assign(attributes, { type: "tel", autocomplete: "tel" });
      else if (node.pattern && node.pattern.startsWith("^https?")) Object.assign(attributes, { type: "url", placeholder: "https://" });
      else if (!multiline) attributes.type = "text";
      if (key === "tax_code" || key === "year" || key === "since") attributes.inputmode = key === "since" ? "text" : "numeric";
      if (node.maxLength && node.maxLength <= 300) attributes.maxlength = String(node.maxLength);
      const control = multiline ? element("textarea", Object.assign(attributes, { rows: node.maxLength > 1000 ? "8" : "4" })) : element("input", attributes);
      const wrapper = this.field(node, key, path, required, control, id);
      return this.register(path, {
        element: wrapper,
        control,
        errorBox: wrapper.querySelector(".field-error"),
        get: () => cleanText(control.value, multiline),
        set: (value) => { control.value = value === undefined || value === null ? "" : String(value); },
        focus: () => control.focus(),
      });
    }

    checkbox(node, key, path) {
      const id = this.newId(path);
      const control = element("input", { type: "checkbox", id, name: formatPath(path) });
      const help = this.helpFor(node, id);
      const error = this.errorBox(id);
      control.setAttribute("aria-describedby", [help && help.id, error.id].filter(Boolean).join(" "));
      const wrapper = element("div", { className: "field field-checkbox" }, [
        control, element("label", { for: id, text: node.title || key }), help, error,
      ]);
      return this.register(path, {
        element: wrapper, control, errorBox: error,
        get: () => control.checked,
        set: (value) => { control.checked = value === true; },
        focus: () => control.focus(),
      });
    }

    choice(node, key, path, required, choices, initial) {
      const id = this.newId(path);
      if (choices.length <= 3) return this.radios(node, key, path, required, choices, id);
      const control = element("select", { id, name: formatPath(path) }, [
        element("option", { value: "", lang: pageLanguage(), text: t("choose") }),
        ...choices.map((choice) => element("option", { value: choice.value, text: choice.label })),
      ]);
      const wrapper = this.field(node, key, path, required, control, id);
      const set = (value) => {
        const text = value === undefined || value === null ? (initial || "") : String(value);
        if (text && !choices.some((choice) => choice.value === text)) {
          // A draft may hold a value the list lacks. It stays selectable, so the validator names
          // it instead of the form dropping it silently.
          control.append(element("option", { value: text, text }));
        }
        control.value = text;
      };
      set(undefined);
      return this.register(path, {
        element: wrapper, control, errorBox: wrapper.querySelector(".field-error"),
        get: () => control.value || undefined,
        set,
        focus: () => control.focus(),
      });
    }

    radios(node, key, path, required, choices, id) {
      const help = this.helpFor(node, id);
      const error = this.errorBox(id);
      const inputs = choices.map((choice, position) => {
        const inputId = id + "-" + position;
        const input = element("input", { type: "radio", id: inputId, name: id, value: choice.value });
        return { input, row: element("div", { className: "choice" }, [input, element("label", { for: inputId, text: choice.label })]) };
      });
      const fieldset = element("fieldset", {
        className: "choices", id,
        "aria-describedby": [help && help.id, error.id].filter(Boolean).join(" "),
        "aria-required": required ? "true" : null,
      }, [element("legend", {}, [this.labelText(node, key, required)]), help, ...inputs.map((item) => item.row), error]);
      return this.register(path, {
        element: fieldset, control: inputs[0].input, errorBox: error, controls: inputs.map((item) => item.input),
        get: () => { const checked = inputs.find((item) => item.input.checked); return checked ? checked.input.value : undefined; },
        set: (value) => inputs.forEach((item) => { item.input.checked = item.input.value === value; }),
        focus: () => (inputs.find((item) => item.input.checked) || inputs[0]).input.focus(),
      });
    }

    checkboxes(node, items, key, path, required) {
      const id = this.newId(path);
      const help = this.helpFor(node, id);
      const error = this.errorBox(id);
      const inputs = this.enumChoices(items).map((choice, position) => {
        const inputId = id + "-" + position;
        const input = element("input", { type: "checkbox", id: inputId, name: id, value: choice.value });
        return { input, row: element("div", { className: "choice" }, [input, element("label", { for: inputId, text: choice.label })]) };
      });
      const fieldset = element("fieldset", {
        className: "choices", id,
        "aria-describedby": [help && help.id, error.id].filter(Boolean).join(" "),
      }, [element("legend", {}, [this.labelText(node, key, required || (node.minItems || 0) > 0)]), help, ...inputs.map((item) => item.row), error]);
      return this.register(path, {
        element: fieldset, control: inputs[0].input, errorBox: error, controls: inputs.map((item) => item.input),
        get: () => { const values = inputs.filter((item) => item.input.checked).map((item) => item.input.value); return values.length ? values : undefined; },
        set: (value) => inputs.forEach((item) => { item.input.checked = Array.isArray(value) && value.includes(item.input.value); }),
        focus: () => inputs[0].input.focus(),
      });
    }

    groupShell(node, key, path, required, id) {
      const help = this.helpFor(node, id);
      const error = this.errorBox(id);
      const fieldset = element("fieldset", {
        className: "group", id, "aria-describedby": [help && help.id, error.id].filter(Boolean).join(" "),
      }, [element("legend", {}, [this.labelText(node, key, required)]), help, error]);
      return { fieldset, error };
    }

    objectChildren(node, path, container, skip, context) {
      const required = new Set(node.required || []);
      const children = [];
      for (const [key, child] of Object.entries(node.properties || {})) {
        if (SKIPPED_KEYS.has(key) && path.length === 0) continue;
        if (skip && skip.has(key)) continue;
        const built = this.build(child, key, path.concat([key]), required.has(key), context);
        container.append(built.element);
        children.push([key, built]);
      }
      return children;
    }

    objectNode(children, element_, errorBox, path, keepEmpty) {
      const get = () => {
        const result = {};
        for (const [key, child] of children) {
          const value = child.get();
          if (value !== undefined) result[key] = value;
        }
        return Object.keys(result).length || keepEmpty ? result : undefined;
      };
      const set = (value) => {
        const source = value && typeof value === "object" ? value : {};
        for (const [key, child] of children) child.set(source[key]);
      };
      const focus = () => { if (children.length) children[0][1].focus(); };
      return this.register(path, { element: element_, errorBox, children, get, set, focus });
    }

    group(node, key, path, required, keepEmpty, context) {
      const id = this.newId(path);
      const shell = this.groupShell(node, key, path, required, id);
      if (key === "contact") {
        const notice = document.getElementById("thong-bao-du-lieu-ca-nhan");
        if (notice) shell.fieldset.append(notice.content.cloneNode(true));
      }
      const children = this.objectChildren(node, path, shell.fieldset, null, context);
      return this.objectNode(children, shell.fieldset, shell.error, path, keepEmpty);
    }

    multilingual(node, key, path, required) {
      const id = this.newId(path);
      const shell = this.groupShell(node, key, path, required, id);
      const children = this.objectChildren(node, path, shell.fieldset);
      return this.objectNode(children, shell.fieldset, shell.error, path, false);
    }

    discriminated(node, key, path, required) {
      const id = this.newId(path);
      const shell = this.groupShell(node, key, path, required, id);
      const discriminator = node["x-discriminator"];
      const branches = node.oneOf.map((item) => this.tree.resolve(item));
      const selector = this.build(node.properties[discriminator], discriminator, path.concat([discriminator]), true);
      shell.fieldset.append(selector.element);
      const area = element("div", { className: "branch" });
      shell.fieldset.append(area);
      let children = [];
      let current;

      const show = (tag, values) => {
        current = tag;
        area.replaceChildren();
        for (const [childKey] of children) this.registry.delete(formatPath(path.concat([childKey])));
        const branch = branches.find((item) => ((item.properties || {})[discriminator] || {}).const === tag);
        children = branch ? this.objectChildren(branch, path, area, new Set([discriminator])) : [];
        if (!branch) area.append(element("p", { className: "field-help", lang: pageLanguage(), text: t("choose_owner_type") }));
        for (const [childKey, child] of children) {
          if (values && values[childKey] !== undefined) child.set(values[childKey]);
        }
      };
      const collectChildren = () => {
        const result = {};
        for (const [childKey, child] of children) {
          const value = child.get();
          if (value !== undefined) result[childKey] = value;
        }
        return result;
      };
      for (const control of selector.controls || [selector.control]) {
        control.addEventListener("change", () => show(selector.get(), collectChildren()));
      }
      show(undefined);

      return this.register(path, {
        element: shell.fieldset, errorBox: shell.error,
        get: () => {
          const tag = selector.get();
          const result = tag === undefined ? {} : { [discriminator]: tag };
          Object.assign(result, collectChildren());
          return Object.keys(result).length ? result : undefined;
        },
        set: (value) => {
          const source = value && typeof value === "object" ? value : {};
          selector.set(source[discriminator]);
          show(source[discriminator], source);
        },
        focus: () => selector.focus(),
        currentTag: () => current,
      });
    }

    repeatable(node, items, key, path, required) {
      const id = this.newId(path);
      const shell = this.groupShell(node, key, path, required || (node.minItems || 0) > 0, id);
      const list = element("div", { className: "repeat-list" });
      const itemTitle = items.title || node.title || key;
      const itemLower = itemTitle.charAt(0).toLowerCase() + itemTitle.slice(1);
      const addLabel = t("add_item", { item: itemLower });
      const addButton = element("button", { type: "button", className: "button button-add", lang: pageLanguage(), text: addLabel });
      shell.fieldset.append(list, addButton);
      const minimum = node.minItems || 0;
      const maximum = node.maxItems === undefined ? Infinity : node.maxItems;
      let rows = [];

      const makeRow = (position) => {
        const rowPath = path.concat([position]);
        const rowId = this.newId(rowPath);
        const rowShell = element("fieldset", { className: "group repeat-item", id: rowId }, [
          element("legend", { text: itemTitle + " " + (position + 1) }),
        ]);
        const rowError = this.errorBox(rowId);
        rowShell.append(rowError);
        const context = { nationwide: key === "deployments" };
        const children = this.objectChildren(items, rowPath, rowShell, null, context);
        const remove = element("button", {
          type: "button", className: "button button-remove", lang: pageLanguage(), text: t("remove_item", { item: itemLower, number: position + 1 }),
        });
        remove.disabled = rows.length < minimum;
        rowShell.append(remove);
        remove.addEventListener("click", () => {
          const values = get() || [];
          values.splice(position, 1);
          set(values);
          this.app.changed(path);
          addButton.focus();
        });
        return this.objectNode(children, rowShell, rowError, rowPath, true);
      };
      const refreshButtons = () => {
        addButton.disabled = rows.length >= maximum;
        for (const row of rows) row.element.querySelector(":scope > .button-remove").disabled = rows.length <= minimum;
      };
      const get = () => (rows.length ? rows.map((row) => row.get()) : undefined);
      const set = (value) => {
        const values = Array.isArray(value) ? value : [];
        for (const row of rows) {
          for (const registered of Array.from(this.registry.keys())) {
            if (registered.startsWith(formatPath(row.path))) this.registry.delete(registered);
          }
        }
        list.replaceChildren();
        rows = [];
        const count = Math.max(values.length, minimum);
        for (let position = 0; position < count; position += 1) {
          const row = makeRow(position);
          rows.push(row);
          list.append(row.element);
          row.set(values[position]);
        }
        refreshButtons();
      };
      addButton.addEventListener("click", () => {
        const values = get() || [];
        values.push({});
        set(values);
        this.app.changed(path);
        rows[rows.length - 1].focus();
      });
      set([]);
      return this.register(path, {
        element: shell.fieldset, errorBox: shell.error, get, set,
        focus: () => (rows.length ? rows[0].focus() : addButton.focus()),
      });
    }

    root() {
      const node = this.tree.resolve(this.tree.root);
      const container = element("div", { className: "form-fields" });
      const children = this.objectChildren(node, [], container);
      return this.objectNode(children, container, null, [], true);
    }
  }

  // --- the page -------------------------------------------------------------------------------

  class FormApp {
    constructor(data, schema) {
      this.data = data;
      this.tree = new SchemaTree(schema);
      this.validator = new Validator(this.tree, data);
      this.provinceIndex = buildProvinceIndex(data);
      this.touched = new Set();
      this.submitted = false;
      this.slugEdited = false;
    }

    /* Validate a proposal the way `portal validate` does, minus the file-name and attachment
     * checks; return problems with path, code, message and fix. */
    problems(doc) {
      const schemaErrors = this.validator.validate(doc);
      const found = schemaErrors.map((error) => ({ path: error.path, code: error.code, params: error.params }));
      // As portal.validate does, a value the schema already rejects gets no second complaint.
      const schemaPaths = new Set(found.map((problem) => formatPath(problem.path)));
      for (const problem of extraChecks(this.data, this.provinceIndex, doc)) {
        if (!schemaPaths.has(formatPath(problem.path))) found.push(problem);
      }
      const seen = new Set();
      return found.filter((problem) => {
        const text = renderMessage(this.data, problem.code, problem.params);
        const key = formatPath(problem.path) + "\u0000" + text.message;
        if (seen.has(key)) return false;
        seen.add(key);
        Object.assign(problem, text, { pathText: formatPath(problem.path) });
        return true;
      });
    }

    mount(host) {
      this.host = host;
      this.builder = new FormBuilder(this);
      this.form = host.querySelector("#phieu");
      this.status = host.querySelector("#trang-thai-phieu");
      this.preview = host.querySelector("#xem-truoc");
      this.result = host.querySelector("#ket-qua");
      this.rootNode = this.builder.root();
      host.querySelector("#phieu-cac-muc").append(this.rootNode.element);

      this.restoreDraft();
      this.form.addEventListener("input", (event) => this.onEdit(event));
      this.form.addEventListener("change", (event) => this.onEdit(event));
      this.form.addEventListener("focusout", (event) => this.touch(event.target));
      this.form.addEventListener("submit", (event) => { event.preventDefault(); this.submit(); });
      host.querySelector("#xoa-ban-nhap").addEventListener("click", () => this.clearDraft());
      host.querySelector("#mo-github").addEventListener("click", () => this.onGithubClick());
      host.hidden = false;
      this.refresh();
    }

    nodeFor(control) {
      for (const node of this.builder.registry.values()) {
        if (node.control === control || (node.controls && node.controls.includes(control))) return node;
      }
      return null;
    }

    touch(control) {
      const node = this.nodeFor(control);
      if (!node) return;
      for (let length = 1; length <= node.path.length; length += 1) this.touched.add(formatPath(node.path.slice(0, length)));
    }

    onEdit(event) {
      const node = this.nodeFor(event.target);
      if (node && formatPath(node.path) === "slug") this.slugEdited = true;
      if (event.type === "change") this.touch(event.target);
      this.suggestSlug();
      this.result.hidden = true;
      this.refresh();
    }

    changed(path) {
      this.touched.add(formatPath(path));
      this.result.hidden = true;
      this.refresh();
    }

    suggestSlug() {
      if (this.slugEdited) return;
      const slugNode = this.builder.registry.get("slug");
      const nameNode = this.builder.registry.get("name.vi") || this.builder.registry.get("name.en");
      if (!slugNode || !nameNode) return;
      const name = nameNode.get();
      slugNode.set(name ? slugify(name) : "");
    }

    collect() {
      return this.rootNode.get();
    }

    refresh() {
      const doc = this.collect();
      this.saveDraft(doc);
      this.renderPreview(doc);
      this.showProblems(this.problems(doc), this.submitted ? null : this.touched);
      return doc;
    }

    /* Show each problem beside the nearest field that exists for its path. */
    showProblems(problems, onlyTouched) {
      const registry = this.builder.registry;
      for (const node of registry.values()) {
        if (!node.errorBox) continue;
        node.errorBox.hidden = true;
        node.errorBox.replaceChildren();
        for (const control of node.controls || (node.control ? [node.control] : [])) control.removeAttribute("aria-invalid");
      }
      const invalidNodes = [];
      for (const problem of problems) {
        let path = problem.path.slice();
        while (path.length && !(registry.has(formatPath(path)) && registry.get(formatPath(path)).errorBox)) path = path.slice(0, -1);
        const node = registry.get(formatPath(path));
        if (!node || !node.errorBox) continue;
        if (onlyTouched && !onlyTouched.has(formatPath(problem.path)) && !onlyTouched.has(formatPath(path))) continue;
        const line = element("span", { className: "error-line", text: problem.message });
        if (problem.fix && !FIXES_HIDDEN_IN_FORM.has(problem.code)) line.append(" ", element("span", { className: "error-fix", text: t("fix_prefix") + problem.fix }));
        node.errorBox.append(line);
        node.errorBox.hidden = false;
        for (const control of node.controls || (node.control ? [node.control] : [])) control.setAttribute("aria-invalid", "true");
        invalidNodes.push(node);
      }
      return invalidNodes;
    }

    submit() {
      this.submitted = true;
      const doc = this.collect();
      const problems = this.problems(doc);
      const invalidNodes = this.showProblems(problems, null);
      if (problems.length) {
        this.result.hidden = true;
        invalidNodes.sort((a, b) => (a.element.compareDocumentPosition(b.element) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
        this.say(t("errors_left", { count: problems.length }));
        if (invalidNodes.length) invalidNodes[0].focus();
        return false;
      }
      this.showResult(doc);
      return true;
    }

    showResult(doc) {
      const yaml = toYaml(this.data, doc);
      const fileName = doc.slug + ".yaml";
      this.yaml = yaml;
      const textarea = this.host.querySelector("#noi-dung-yaml");
      textarea.value = yaml;
      this.host.querySelector("#ten-tep").textContent = proposalPath(this.data, doc.slug);
      this.host.querySelector("#thu-muc-dinh-kem").textContent = this.data.proposals_dir + "/" + doc.slug + "/";
      const download = this.host.querySelector("#tai-tep");
      if (this.downloadUrl) URL.revokeObjectURL(this.downloadUrl);
      this.downloadUrl = URL.createObjectURL(new Blob([yaml], { type: "application/yaml;charset=utf-8" }));
      download.href = this.downloadUrl;
      download.setAttribute("download", fileName);
      const link = githubLink(this.data, doc.slug, yaml);
      const github = this.host.querySelector("#mo-github");
      github.href = link.url;
      this.githubComplete = link.complete;
      this.host.querySelector("#mo-github-dai").hidden = link.complete;
      this.result.hidden = false;
      this.say(t("file_ready", { file: fileName }));
      this.result.focus();
    }

    onGithubClick() {
      if (this.githubComplete || !this.yaml) return;
      const textarea = this.host.querySelector("#noi-dung-yaml");
      const done = () => this.say(t("copied"));
      const manual = () => {
        textarea.focus();
        textarea.select();
        let copied = false;
        try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
        if (copied) done();
        else this.say(t("copy_failed"));
      };
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(this.yaml).then(done, manual);
      else manual();
    }

    say(text) {
      this.status.textContent = "";
      // A fresh text node makes screen readers announce a repeated message again.
      window.requestAnimationFrame(() => { this.status.textContent = text; });
      this.status.dataset.message = text;
    }

    // --- draft ---

    saveDraft(doc) {
      try {
        window.localStorage.setItem(DRAFT_KEY, JSON.stringify({ saved: new Date().toISOString(), slugEdited: this.slugEdited, proposal: doc }));
      } catch (error) {
        console.warn("PortalForm: the draft could not be saved", error);
      }
    }

    restoreDraft() {
      let draft = null;
      try {
        draft = JSON.parse(window.localStorage.getItem(DRAFT_KEY) || "null");
      } catch (error) {
        console.warn("PortalForm: the stored draft is unreadable and is ignored", error);
      }
      if (draft && draft.proposal) {
        this.rootNode.set(draft.proposal);
        this.slugEdited = Boolean(draft.slugEdited);
        this.say(t("draft_restored", { time: new Date(draft.saved).toLocaleString(pageLanguage() === "vi" ? "vi-VN" : pageLanguage()) }));
      } else {
        this.rootNode.set({});
      }
    }

    clearDraft() {
      window.localStorage.removeItem(DRAFT_KEY);
      this.rootNode.set({});
      this.touched.clear();
      this.submitted = false;
      this.slugEdited = false;
      this.result.hidden = true;
      this.refresh();
      window.localStorage.removeItem(DRAFT_KEY);
      this.say(t("draft_cleared"));
    }

    // --- preview ---

    label(kind, code) {
      const paths = {
        kind: ["kind"], domains: ["domains", "items"], fields: ["fields", "items"],
      };
      let node = this.tree.resolve(this.tree.root);
      for (const part of paths[kind]) node = this.tree.resolve(part === "items" ? node.items : node.properties[part]);
      const labels = node["x-labels"] || {};
      return labels[code] ? labels[code].vi : code;
    }

    renderPreview(doc) {
      const data = doc || {};
      const text = (value) => (value && typeof value === "object" ? value.vi || value.en || "" : "");
      const card = element("article", { className: "preview-product" });
      const tags = [];
      if (data.kind) tags.push(this.label("kind", data.kind));
      for (const code of data.domains || []) tags.push(this.label("domains", code));
      if (tags.length) card.append(element("p", { className: "preview-kicker", text: tags.join(" · ") }));
      card.append(element("h3", { text: text(data.name) || t("preview_name") }));
      if (text(data.summary)) card.append(element("p", { className: "preview-summary", text: text(data.summary) }));
      const facts = element("dl", { className: "preview-facts" });
      const fact = (term, value) => { if (value) facts.append(element("dt", { text: term }), element("dd", { text: value })); };
      fact(t("preview_fields"), (data.fields || []).map((code) => this.label("fields", code)).join("; "));
      const owner = data.owner || {};
      fact(t("preview_owner"), [owner.name, owner.province].filter(Boolean).join(", "));
      const deployments = (data.deployments || []).filter((item) => item && (item.user || item.province));
      fact(t("preview_deployments"), deployments.map((item) => [item.user, item.province, item.since].filter(Boolean).join(", ")).join("; "));
      fact(t("preview_awards"), (data.awards || []).map((item) => [item && item.name, item && item.year].filter(Boolean).join(", ")).filter(Boolean).join("; "));
      if (facts.children.length) card.append(facts);
      const description = text(data.description);
      for (const paragraph of description.split(/\n{2,}/).filter(Boolean).slice(0, 6)) {
        card.append(element("p", { text: paragraph }));
      }
      this.preview.replaceChildren(card);
    }
  }

  // --- start ------------------------------------------------------------------------------------

  async function fetchJson(url) {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) throw new Error(url + ": HTTP " + response.status);
    return response.json();
  }

  async function start() {
    const host = document.getElementById("phieu-de-xuat");
    const dataUrl = new URL(host.dataset.formData, window.location.href);
    const data = await fetchJson(dataUrl);
    const schema = await fetchJson(new URL(data.schema_url, dataUrl));
    const app = new FormApp(data, schema);
    app.mount(host);
    return app;
  }

  function failed(error) {
    console.error("PortalForm: the form could not start", error);
    const main = document.getElementById("noi-dung");
    const note = element("p", { className: "form-noscript", role: "alert",
      text: t("load_failed") });
    if (main) main.append(note);
    throw error;
  }

  const ready = (document.readyState === "loading"
    ? new Promise((resolve) => document.addEventListener("DOMContentLoaded", resolve, { once: true }))
    : Promise.resolve()).then(start).catch(failed);

  window.PortalForm = {
    ready,
    searchKey,
    nameKey,
    taxCodeValid,
    slugify,
    checkProvince: (text, allowNationwide) => ready.then((app) => checkProvince(app.data, app.provinceIndex, text, Boolean(allowNationwide))),
    problems: (doc) => ready.then((app) => app.problems(doc).map((problem) => ({ path: problem.pathText, code: problem.code, message: problem.message, fix: problem.fix }))),
    toYaml: (doc) => ready.then((app) => toYaml(app.data, doc)),
    collect: () => ready.then((app) => app.collect()),
  };
})();
