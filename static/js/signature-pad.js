// Signature pad: draws with a finger, pen or mouse (Pointer Events) on a <canvas
// data-signature-pad="<input id>"> and keeps the strokes as SVG path data in that hidden input,
// in the canvas's own coordinates ("M10,20L12,22 M..."), whatever its size on screen.
(() => {
  const round = (value) => Math.round(value * 10) / 10;

  function setUp(canvas) {
    const input = document.getElementById(canvas.dataset.signaturePad);
    const context = canvas.getContext("2d");
    const strokes = [];
    let current = null;

    context.lineWidth = 2.5;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.strokeStyle = "#000";

    function point(event) {
      const box = canvas.getBoundingClientRect();
      const x = ((event.clientX - box.left) * canvas.width) / box.width;
      const y = ((event.clientY - box.top) * canvas.height) / box.height;
      return [
        round(Math.min(Math.max(x, 0), canvas.width)),
        round(Math.min(Math.max(y, 0), canvas.height)),
      ];
    }

    function save() {
      input.value = strokes
        .map((stroke) => stroke.map(([x, y], i) => `${i ? "L" : "M"}${x},${y}`).join(""))
        .join(" ");
      canvas.dispatchEvent(new CustomEvent("signature-change", { bubbles: true }));
    }

    canvas.addEventListener("pointerdown", (event) => {
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      const start = point(event);
      current = [start, start];
      strokes.push(current);
      context.beginPath();
      context.moveTo(...start);
      context.lineTo(...start);
      context.stroke();
    });

    canvas.addEventListener("pointermove", (event) => {
      if (!current) return;
      event.preventDefault();
      const next = point(event);
      context.beginPath();
      context.moveTo(...current[current.length - 1]);
      context.lineTo(...next);
      context.stroke();
      current.push(next);
    });

    const finish = () => {
      if (!current) return;
      current = null;
      save();
    };
    canvas.addEventListener("pointerup", finish);
    canvas.addEventListener("pointercancel", finish);

    const clear = document.querySelector(`[data-signature-clear="${canvas.id}"]`);
    if (clear) {
      clear.addEventListener("click", () => {
        strokes.length = 0;
        context.clearRect(0, 0, canvas.width, canvas.height);
        save();
      });
    }
  }

  document.querySelectorAll("canvas[data-signature-pad]").forEach(setUp);
})();
