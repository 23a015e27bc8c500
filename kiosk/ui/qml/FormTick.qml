import QtQuick

// A plain tick mark for selected choices (drawn, so no symbol font is needed).
Canvas {
    id: tick
    property color color: "white"
    antialiasing: true
    onColorChanged: requestPaint()
    onWidthChanged: requestPaint()
    onHeightChanged: requestPaint()
    onPaint: {
        var ctx = getContext("2d");
        ctx.reset();
        var s = Math.min(width, height);
        ctx.strokeStyle = tick.color;
        ctx.lineWidth = Math.max(2, s * 0.13);
        ctx.lineCap = "round";
        ctx.lineJoin = "round";
        ctx.beginPath();
        ctx.moveTo(0.22 * s, 0.52 * s);
        ctx.lineTo(0.42 * s, 0.72 * s);
        ctx.lineTo(0.78 * s, 0.3 * s);
        ctx.stroke();
    }
}
