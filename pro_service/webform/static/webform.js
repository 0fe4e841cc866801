/* EQ VAS: a vertical 0-100 slider beside the scale; the number box stays the answer sent. */
(function () {
  "use strict";
  var box = document.querySelector(".vas input[type=number]");
  var scale = document.querySelector(".vas-scale");
  var list = scale && scale.querySelector("ol");
  if (!box || !list) { return; }
  var range = document.createElement("input");
  range.type = "range";
  range.min = box.min; range.max = box.max; range.step = "1";
  range.className = "vas-range";
  range.setAttribute("aria-label", scale.getAttribute("data-label"));
  function inRange(n) { return !isNaN(n) && n >= +box.min && n <= +box.max; }
  var start = parseInt(box.value, 10);
  if (inRange(start)) { range.value = String(start); } else { range.value = "50"; range.classList.add("unset"); }
  function place() {
    /* the thumb's centre travels between the 100 and 0 ticks on the drawn line */
    var rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
    var thumb = 8;
    range.style.top = (list.offsetTop - thumb) + "px";
    range.style.height = (list.offsetHeight + 2 * thumb) + "px";
    range.style.bottom = "auto";
    range.style.left = (list.offsetLeft + 2.7 * rem - range.offsetWidth / 2) + "px";
  }
  function take() { range.classList.remove("unset"); box.value = range.value; }
  range.addEventListener("input", take);
  range.addEventListener("change", take);
  range.addEventListener("pointerup", take);
  box.addEventListener("input", function () {
    var n = parseInt(box.value, 10);
    if (inRange(n)) { range.value = String(n); range.classList.remove("unset"); }
  });
  scale.appendChild(range);
  place();
  window.addEventListener("resize", place);
}());
