// Live countdowns: <span class="countdown" data-until="ISO" data-left="… {t}" data-over="… {t}">.
// The page reads correctly without this script; it only keeps the figures moving.
(function () {
  function span(ms) {
    var s = Math.floor(Math.abs(ms) / 1000), h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60);
    s = s % 60;
    return h + ":" + (m < 10 ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll(".countdown[data-until]").forEach(function (el) {
      var left = Date.parse(el.dataset.until) - now, over = left < 0;
      var shape = (over ? el.dataset.over : el.dataset.left) || "{t}";
      el.textContent = shape.replace("{t}", span(left));
      el.classList.toggle("over", over);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { tick(); setInterval(tick, 1000); });
})();
