/* Jaring field form: the checks a record gets on the phone, offline. The same rules as the
   server's (registry/nik.py, registry/intake.py, field/rules.py), the same issue codes; one
   file of NIK cases (field/data/nik_cases.json) is run against both in the tests.
   Pure: no DOM, no storage. Exposed as self.JaringChecks (page and tests). */
(function (root) {
  "use strict";

  var PLAIN = /^[0-9]{16}$/;
  var MANGLED = /^[0-9]+(?:[.,][0-9]+)?[eE]\+?[0-9]+$/;
  var DIGITS = /^[0-9]+$/;
  var WORKING_AGES = [15, 90];
  var SEVERITY = {
    nik_excel_mangled: "error", nik_not_digits: "error", nik_length: "error",
    nik_date_invalid: "error", nik_serial_zero: "error", nik_region_unknown: "warning",
    nik_missing: "warning", nik_birth_date_mismatch: "warning", nik_sex_mismatch: "warning",
    name_missing: "error", identity_missing: "error", birth_date_invalid: "error",
    birth_date_invalid_nik_used: "warning", birth_date_out_of_range: "warning",
    sex_invalid: "warning", phone_invalid: "warning", income_invalid: "warning",
    consent_missing: "error", nik_required: "error", district_required: "error",
    district_not_in_region: "error", village_not_in_district: "error",
    nik_on_device: "warning"
  };

  function pad2(n) { return (n < 10 ? "0" : "") + n; }
  function iso(y, m, d) { return String(y).padStart(4, "0") + "-" + pad2(m) + "-" + pad2(d); }
  function isoToday(today) { return typeof today === "string" ? today : iso(today.getFullYear(), today.getMonth() + 1, today.getDate()); }

  function daysIn(y, m) {
    if (m === 2) { return ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0) ? 29 : 28; }
    return [4, 6, 9, 11].indexOf(m) >= 0 ? 30 : 31;
  }

  // Python's str.strip_chars(): Unicode whitespace at both ends
  function strip(s) { return s.replace(/^\s+|\s+$/g, ""); }

  function shape(nik) {
    var text = nik == null ? null : strip(String(nik));
    var present = text != null && text.length > 0;
    if (present && PLAIN.test(text)) {
      return { present: true, mangled: false, digits: text, notDigits: false, badLen: false, shaped: true };
    }
    var mangled = present && MANGLED.test(text);
    var digits = text == null ? "" : text.replace(/^['`]+/, "").replace(/\.0+$/, "").replace(/[\s.\-]/g, "");
    var notDigits = present && !mangled && !DIGITS.test(digits);
    var badLen = present && !mangled && !notDigits && digits.length !== 16;
    return {
      present: present, mangled: mangled, digits: digits, notDigits: notDigits, badLen: badLen,
      shaped: present && !mangled && !notDigits && !badLen
    };
  }

  /* 2000 when the date 20yy-mm-day is not after today, else 1900 (registry/nik.py century):
     a birth date is never in the future. */
  function century(yy, mm, day, todayIso) {
    var thisYear = parseInt(todayIso.slice(2, 4), 10);
    var todayMd = parseInt(todayIso.slice(5, 7), 10) * 100 + parseInt(todayIso.slice(8, 10), 10);
    var onOrBefore = yy < thisYear || (yy === thisYear && mm * 100 + day <= todayMd);
    return onOrBefore ? 2000 : 1900;
  }

  function dateText(digits, todayIso) {
    var dd = parseInt(digits.slice(6, 8), 10), mm = parseInt(digits.slice(8, 10), 10);
    var yy = parseInt(digits.slice(10, 12), 10);
    var day = dd > 40 ? dd - 40 : dd;
    return (yy + century(yy, mm, day, todayIso)) + "-" + digits.slice(8, 10) + "-" + pad2(day);
  }

  /* One NIK (and the birth date and sex typed beside it) by the rules of registry/nik.py.
     lists: {nik_prefixes: "967101967102...", nik_old: {"927101": "96.71.01"}}. */
  function checkNik(nik, opts) {
    opts = opts || {};
    var todayIso = isoToday(opts.today || new Date());
    var lists = opts.lists || { nik_prefixes: "", nik_old: {} };
    var s = shape(nik);
    var out = { error: null, issues: [], birth_date: null, sex: null, district_code: null, clean: null };
    var value = nik == null ? null : String(nik);
    function add(field, code, v, detail) {
      out.issues.push({ field: field, code: code, severity: SEVERITY[code], value: v == null ? null : String(v), detail: detail == null ? null : String(detail) });
    }
    var birth = null, female = false, serial = null, prefix = null;
    if (s.shaped) {
      var d = s.digits;
      var dd = parseInt(d.slice(6, 8), 10), mm = parseInt(d.slice(8, 10), 10), yy = parseInt(d.slice(10, 12), 10);
      female = dd > 40;
      var day = female ? dd - 40 : dd;
      var year = yy + century(yy, mm, day, todayIso);
      if (mm >= 1 && mm <= 12 && day >= 1 && day <= daysIn(year, mm)) { birth = iso(year, mm, day); }
      serial = parseInt(d.slice(12, 16), 10);
      prefix = d.slice(0, 6);
    }
    var badDate = s.shaped && (birth === null || birth > todayIso);
    var serialZero = s.shaped && !badDate && serial === 0;
    var valid = s.shaped && !badDate && !serialZero;
    if (valid) {
      out.clean = s.digits;
      out.birth_date = birth;
      out.sex = female ? "P" : "L";
      out.district_code = districtOf(prefix, lists);
    }
    if (!s.present) { add("nik", "nik_missing", value); }
    if (s.mangled) { add("nik", "nik_excel_mangled", value); }
    if (s.notDigits) { add("nik", "nik_not_digits", value); }
    if (s.badLen) { add("nik", "nik_length", value, s.digits.length); }
    if (badDate) { add("nik", "nik_date_invalid", value, dateText(s.digits, todayIso)); }
    if (serialZero) { add("nik", "nik_serial_zero", value); }
    if (valid && out.district_code === null) { add("nik", "nik_region_unknown", value, s.digits.slice(0, 6)); }
    if (valid && opts.birth_date && opts.birth_date !== out.birth_date) {
      add("birth_date", "nik_birth_date_mismatch", opts.birth_date, out.birth_date);
    }
    if (valid && opts.sex && opts.sex !== out.sex) { add("sex", "nik_sex_mismatch", opts.sex, out.sex); }
    out.error = s.mangled ? "nik_excel_mangled" : s.notDigits ? "nik_not_digits" : s.badLen ? "nik_length"
      : badDate ? "nik_date_invalid" : serialZero ? "nik_serial_zero" : null;
    return out;
  }

  function districtOf(prefix, lists) {
    if (lists.nik_old && Object.prototype.hasOwnProperty.call(lists.nik_old, prefix)) { return lists.nik_old[prefix]; }
    var all = lists.nik_prefixes || "";
    var lo = 0, hi = all.length / 6 - 1;
    while (lo <= hi) {  // the prefixes are sorted: a binary search over the string
      var mid = (lo + hi) >> 1, p = all.substr(mid * 6, 6);
      if (p === prefix) { return prefix.slice(0, 2) + "." + prefix.slice(2, 4) + "." + prefix.slice(4, 6); }
      if (p < prefix) { lo = mid + 1; } else { hi = mid - 1; }
    }
    return null;
  }

  function ageOn(birthIso, todayIso) {
    var by = +birthIso.slice(0, 4), bm = +birthIso.slice(5, 7), bd = +birthIso.slice(8, 10);
    var ty = +todayIso.slice(0, 4), tm = +todayIso.slice(5, 7), td = +todayIso.slice(8, 10);
    return ty - by - ((tm * 100 + td) < (bm * 100 + bd) ? 1 : 0);
  }

  function phoneOk(phone) {
    var national = phone.replace(/[^0-9]/g, "").replace(/^(?:62|0)/, "");
    return /^[1-9][0-9]{7,12}$/.test(national);
  }

  function rupiah(text) {
    var s = text.toLowerCase().replace(/rp\.?|\s/g, "");
    var jt = /^(\d+(?:[.,]\d+)?)(?:jt|juta)$/.exec(s);
    if (jt) { return Math.round(parseFloat(jt[1].replace(",", ".")) * 1000000); }
    var plain = s.replace(/[.,]00$/, "").replace(/[.,]/g, "");
    return /^\d{1,13}$/.test(plain) ? parseInt(plain, 10) : null;
  }

  function inRegions(code, regions) {
    if (!regions || !regions.length) { return true; }
    return regions.some(function (c) { return code === c || code.indexOf(c + ".") === 0 || c.indexOf(code + ".") === 0; });
  }

  /* A whole record: the NIK's checks, then a list row's, then the field form's own, in the
     server's order. others: the registrar's other records on this phone (NIK on device). */
  function checkRecord(r, opts) {
    opts = opts || {};
    var todayIso = isoToday(opts.today || new Date());
    var lists = opts.lists || {};
    var nikText = strip(r.nik || "");
    var n = checkNik(nikText === "" ? null : nikText, { today: todayIso, lists: lists, birth_date: r.birth_date || null, sex: r.sex || null });
    var issues = n.issues.slice();
    function add(field, code, v, detail) {
      issues.push({ field: field, code: code, severity: SEVERITY[code], value: v == null ? null : String(v), detail: detail == null ? null : String(detail) });
    }
    if (!strip(r.name || "")) { add("name", "name_missing", r.name || null); }
    var birth = r.birth_date || n.birth_date;
    if (birth) {
      var age = ageOn(birth, todayIso);
      if (age < WORKING_AGES[0] || age > WORKING_AGES[1]) { add("birth_date", "birth_date_out_of_range", birth, age); }
    }
    if (strip(r.phone || "") && !phoneOk(r.phone)) { add("phone", "phone_invalid", r.phone); }
    if (strip(r.income || "") && rupiah(r.income) === null) { add("income", "income_invalid", r.income); }
    // the field form's own (field/rules.py field_issues)
    if (!nikText) {
      issues = issues.filter(function (i) { return i.code !== "nik_missing"; });
      add("nik", "nik_required");
    }
    var districts = lists.districts || [];
    var district = null;
    districts.forEach(function (d) { if (d.code === r.district_code) { district = d; } });
    if (!r.district_code) { add("district", "district_required"); }
    else if (!district || !inRegions(r.district_code, lists.regions_codes || [])) { add("district", "district_not_in_region", r.district_code); }
    else if (r.village_code) {
      var found = district.villages.some(function (v) { return v.code === r.village_code; });
      if (!found) { add("village", "village_not_in_district", r.village_code, r.district_code); }
    }
    if (!r.consent || !strip(r.consent_name || "")) { add("consent", "consent_missing"); }
    var others = opts.others || [];
    if (n.clean) {
      others.forEach(function (o) {
        if (o.client_id !== r.client_id && o.nik_clean === n.clean) {
          add("nik", "nik_on_device", o.name || "", o.client_id);
        }
      });
    }
    return { issues: issues, nik: n, errors: issues.filter(function (i) { return i.severity === "error"; }).length };
  }

  function message(issue, templates) {
    var t = (templates && templates[issue.code]) || issue.code;
    return t.split("{value}").join(issue.value == null ? "" : issue.value).split("{detail}").join(issue.detail == null ? "" : issue.detail);
  }

  root.JaringChecks = { checkNik: checkNik, checkRecord: checkRecord, message: message, SEVERITY: SEVERITY, shape: shape };
})(typeof self !== "undefined" ? self : this);
