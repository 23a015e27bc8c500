import QtQuick

// Simple pictograms drawn in code: no image files to ship and no symbol font to rely on.
// Strokes scale with the item so one component serves buttons and big tiles alike.
Canvas {
    id: icon
    property string name: ""
    property color color: Theme.blue
    implicitWidth: 96
    implicitHeight: 96
    antialiasing: true
    onNameChanged: requestPaint()
    onColorChanged: requestPaint()
    onWidthChanged: requestPaint()
    onHeightChanged: requestPaint()

    function person(ctx, cx, top, s) {
        ctx.beginPath(); ctx.arc(cx, top + 0.09 * s, 0.09 * s, 0, 2 * Math.PI); ctx.fill();
        ctx.beginPath(); ctx.moveTo(cx, top + 0.22 * s); ctx.lineTo(cx, top + 0.55 * s); ctx.stroke();
        ctx.beginPath(); ctx.moveTo(cx - 0.16 * s, top + 0.38 * s); ctx.lineTo(cx, top + 0.28 * s);
        ctx.lineTo(cx + 0.16 * s, top + 0.38 * s); ctx.stroke();
        ctx.beginPath(); ctx.moveTo(cx - 0.13 * s, top + 0.85 * s); ctx.lineTo(cx, top + 0.55 * s);
        ctx.lineTo(cx + 0.13 * s, top + 0.85 * s); ctx.stroke();
    }

    onPaint: {
        var ctx = getContext("2d");
        ctx.reset();
        var s = Math.min(width, height);
        var ox = (width - s) / 2, oy = (height - s) / 2;
        ctx.translate(ox, oy);
        ctx.strokeStyle = icon.color;
        ctx.fillStyle = icon.color;
        ctx.lineWidth = Math.max(2, s * 0.075);
        ctx.lineCap = "round";
        ctx.lineJoin = "round";
        switch (icon.name) {
        case "back":
            ctx.beginPath(); ctx.moveTo(0.62 * s, 0.2 * s); ctx.lineTo(0.32 * s, 0.5 * s);
            ctx.lineTo(0.62 * s, 0.8 * s); ctx.stroke();
            break;
        case "general":
            person(ctx, 0.5 * s, 0.06 * s, s);
            break;
        case "senior":
            ctx.save(); ctx.translate(-0.08 * s, 0);
            ctx.beginPath(); ctx.arc(0.5 * s, 0.15 * s, 0.09 * s, 0, 2 * Math.PI); ctx.fill();
            ctx.beginPath(); ctx.moveTo(0.5 * s, 0.28 * s); ctx.quadraticCurveTo(0.44 * s, 0.45 * s, 0.48 * s, 0.6 * s); ctx.stroke();
            ctx.beginPath(); ctx.moveTo(0.48 * s, 0.6 * s); ctx.lineTo(0.36 * s, 0.92 * s); ctx.stroke();
            ctx.beginPath(); ctx.moveTo(0.48 * s, 0.6 * s); ctx.lineTo(0.58 * s, 0.92 * s); ctx.stroke();
            ctx.beginPath(); ctx.moveTo(0.48 * s, 0.36 * s); ctx.lineTo(0.7 * s, 0.5 * s); ctx.stroke();
            ctx.beginPath(); ctx.moveTo(0.7 * s, 0.5 * s); ctx.lineTo(0.74 * s, 0.92 * s); ctx.stroke();
            ctx.restore();
            break;
        case "divyang":
            ctx.beginPath(); ctx.arc(0.42 * s, 0.12 * s, 0.09 * s, 0, 2 * Math.PI); ctx.fill();
            ctx.beginPath(); ctx.moveTo(0.42 * s, 0.26 * s); ctx.lineTo(0.42 * s, 0.56 * s);
            ctx.lineTo(0.68 * s, 0.56 * s); ctx.lineTo(0.78 * s, 0.82 * s); ctx.stroke();
            ctx.beginPath(); ctx.moveTo(0.42 * s, 0.38 * s); ctx.lineTo(0.62 * s, 0.38 * s); ctx.stroke();
            ctx.beginPath(); ctx.arc(0.42 * s, 0.66 * s, 0.24 * s, -0.25 * Math.PI, 1.25 * Math.PI); ctx.stroke();
            break;
        case "pregnant":
            ctx.beginPath(); ctx.arc(0.42 * s, 0.12 * s, 0.09 * s, 0, 2 * Math.PI); ctx.fill();
            ctx.beginPath(); ctx.moveTo(0.42 * s, 0.25 * s); ctx.quadraticCurveTo(0.7 * s, 0.45 * s, 0.44 * s, 0.62 * s); ctx.stroke();
            ctx.beginPath(); ctx.moveTo(0.42 * s, 0.25 * s); ctx.lineTo(0.4 * s, 0.62 * s); ctx.stroke();
            ctx.beginPath(); ctx.moveTo(0.4 * s, 0.62 * s); ctx.lineTo(0.34 * s, 0.94 * s); ctx.stroke();
            ctx.beginPath(); ctx.moveTo(0.44 * s, 0.62 * s); ctx.lineTo(0.52 * s, 0.94 * s); ctx.stroke();
            ctx.beginPath(); ctx.arc(0.76 * s, 0.5 * s, 0.07 * s, 0, 2 * Math.PI); ctx.fill();
            ctx.beginPath(); ctx.moveTo(0.76 * s, 0.6 * s); ctx.lineTo(0.76 * s, 0.8 * s); ctx.stroke();
            break;
        case "token":
            ctx.beginPath(); ctx.rect(0.14 * s, 0.24 * s, 0.72 * s, 0.52 * s); ctx.stroke();
            ctx.beginPath(); ctx.moveTo(0.28 * s, 0.42 * s); ctx.lineTo(0.72 * s, 0.42 * s); ctx.stroke();
            ctx.beginPath(); ctx.moveTo(0.28 * s, 0.58 * s); ctx.lineTo(0.56 * s, 0.58 * s); ctx.stroke();
            break;
        case "certificate":
            ctx.beginPath(); ctx.rect(0.2 * s, 0.1 * s, 0.6 * s, 0.8 * s); ctx.stroke();
            ctx.beginPath(); ctx.moveTo(0.32 * s, 0.3 * s); ctx.lineTo(0.68 * s, 0.3 * s); ctx.stroke();
            ctx.beginPath(); ctx.moveTo(0.32 * s, 0.45 * s); ctx.lineTo(0.68 * s, 0.45 * s); ctx.stroke();
            ctx.beginPath(); ctx.arc(0.6 * s, 0.7 * s, 0.08 * s, 0, 2 * Math.PI); ctx.fill();
            break;
        case "land":       // a field with furrows under the sun
            ctx.beginPath(); ctx.moveTo(0.08 * s, 0.86 * s); ctx.lineTo(0.3 * s, 0.46 * s);
            ctx.lineTo(0.7 * s, 0.46 * s); ctx.lineTo(0.92 * s, 0.86 * s); ctx.closePath(); ctx.stroke();
            ctx.beginPath(); ctx.moveTo(0.5 * s, 0.46 * s); ctx.lineTo(0.5 * s, 0.86 * s); ctx.stroke();
            ctx.beginPath(); ctx.moveTo(0.4 * s, 0.46 * s); ctx.lineTo(0.29 * s, 0.86 * s); ctx.stroke();
            ctx.beginPath(); ctx.moveTo(0.6 * s, 0.46 * s); ctx.lineTo(0.71 * s, 0.86 * s); ctx.stroke();
            ctx.beginPath(); ctx.arc(0.76 * s, 0.2 * s, 0.1 * s, 0, 2 * Math.PI); ctx.fill();
            break;
        case "idcard":     // a card with a face and two lines
            ctx.beginPath(); ctx.rect(0.08 * s, 0.22 * s, 0.84 * s, 0.56 * s); ctx.stroke();
            ctx.beginPath(); ctx.arc(0.3 * s, 0.42 * s, 0.08 * s, 0, 2 * Math.PI); ctx.fill();
            ctx.beginPath(); ctx.arc(0.3 * s, 0.66 * s, 0.13 * s, Math.PI, 2 * Math.PI); ctx.fill();
            ctx.beginPath(); ctx.moveTo(0.52 * s, 0.42 * s); ctx.lineTo(0.8 * s, 0.42 * s); ctx.stroke();
            ctx.beginPath(); ctx.moveTo(0.52 * s, 0.58 * s); ctx.lineTo(0.74 * s, 0.58 * s); ctx.stroke();
            break;
        case "sameday":    // a clock, its hands at one o'clock: done the same day
            ctx.beginPath(); ctx.arc(0.5 * s, 0.5 * s, 0.38 * s, 0, 2 * Math.PI); ctx.stroke();
            ctx.beginPath(); ctx.moveTo(0.5 * s, 0.5 * s); ctx.lineTo(0.5 * s, 0.24 * s); ctx.stroke();
            ctx.beginPath(); ctx.moveTo(0.5 * s, 0.5 * s); ctx.lineTo(0.66 * s, 0.36 * s); ctx.stroke();
            ctx.beginPath(); ctx.arc(0.5 * s, 0.5 * s, 0.05 * s, 0, 2 * Math.PI); ctx.fill();
            break;
        case "collect":    // a certificate handed down into an open hand
            ctx.beginPath(); ctx.rect(0.3 * s, 0.08 * s, 0.4 * s, 0.46 * s); ctx.stroke();
            ctx.beginPath(); ctx.moveTo(0.38 * s, 0.22 * s); ctx.lineTo(0.62 * s, 0.22 * s); ctx.stroke();
            ctx.beginPath(); ctx.moveTo(0.38 * s, 0.34 * s); ctx.lineTo(0.62 * s, 0.34 * s); ctx.stroke();
            ctx.beginPath(); ctx.moveTo(0.1 * s, 0.66 * s); ctx.lineTo(0.3 * s, 0.66 * s);
            ctx.lineTo(0.42 * s, 0.76 * s); ctx.lineTo(0.66 * s, 0.72 * s); ctx.lineTo(0.9 * s, 0.62 * s);
            ctx.stroke();
            ctx.beginPath(); ctx.moveTo(0.1 * s, 0.88 * s); ctx.lineTo(0.5 * s, 0.9 * s);
            ctx.lineTo(0.9 * s, 0.78 * s); ctx.stroke();
            break;
        case "help":       // a person with a raised hand: "someone, please come"
            ctx.beginPath(); ctx.arc(0.42 * s, 0.2 * s, 0.1 * s, 0, 2 * Math.PI); ctx.fill();
            ctx.beginPath(); ctx.moveTo(0.42 * s, 0.34 * s); ctx.lineTo(0.42 * s, 0.64 * s); ctx.stroke();
            ctx.beginPath(); ctx.moveTo(0.42 * s, 0.64 * s); ctx.lineTo(0.3 * s, 0.9 * s); ctx.stroke();
            ctx.beginPath(); ctx.moveTo(0.42 * s, 0.64 * s); ctx.lineTo(0.54 * s, 0.9 * s); ctx.stroke();
            ctx.beginPath(); ctx.moveTo(0.42 * s, 0.42 * s); ctx.lineTo(0.24 * s, 0.56 * s); ctx.stroke();
            ctx.beginPath(); ctx.moveTo(0.42 * s, 0.42 * s); ctx.lineTo(0.66 * s, 0.3 * s);
            ctx.lineTo(0.74 * s, 0.08 * s); ctx.stroke();
            break;
        case "speaker":    // a loudspeaker with two sound waves
            ctx.beginPath(); ctx.moveTo(0.14 * s, 0.38 * s); ctx.lineTo(0.3 * s, 0.38 * s);
            ctx.lineTo(0.5 * s, 0.2 * s); ctx.lineTo(0.5 * s, 0.8 * s); ctx.lineTo(0.3 * s, 0.62 * s);
            ctx.lineTo(0.14 * s, 0.62 * s); ctx.closePath(); ctx.fill();
            ctx.beginPath(); ctx.arc(0.52 * s, 0.5 * s, 0.16 * s, -0.9, 0.9); ctx.stroke();
            ctx.beginPath(); ctx.arc(0.52 * s, 0.5 * s, 0.3 * s, -0.9, 0.9); ctx.stroke();
            break;
        case "status":
            ctx.beginPath(); ctx.arc(0.44 * s, 0.44 * s, 0.24 * s, 0, 2 * Math.PI); ctx.stroke();
            ctx.beginPath(); ctx.moveTo(0.62 * s, 0.62 * s); ctx.lineTo(0.84 * s, 0.84 * s); ctx.stroke();
            break;
        case "verify":
            ctx.beginPath(); ctx.moveTo(0.5 * s, 0.08 * s); ctx.lineTo(0.82 * s, 0.2 * s);
            ctx.lineTo(0.78 * s, 0.56 * s); ctx.lineTo(0.5 * s, 0.9 * s); ctx.lineTo(0.22 * s, 0.56 * s);
            ctx.lineTo(0.18 * s, 0.2 * s); ctx.closePath(); ctx.stroke();
            ctx.beginPath(); ctx.moveTo(0.36 * s, 0.48 * s); ctx.lineTo(0.47 * s, 0.6 * s);
            ctx.lineTo(0.66 * s, 0.36 * s); ctx.stroke();
            break;
        case "check":
            ctx.beginPath(); ctx.arc(0.5 * s, 0.5 * s, 0.42 * s, 0, 2 * Math.PI); ctx.stroke();
            ctx.beginPath(); ctx.moveTo(0.3 * s, 0.52 * s); ctx.lineTo(0.44 * s, 0.66 * s);
            ctx.lineTo(0.7 * s, 0.38 * s); ctx.stroke();
            break;
        case "warning":
            ctx.beginPath(); ctx.moveTo(0.5 * s, 0.1 * s); ctx.lineTo(0.92 * s, 0.86 * s);
            ctx.lineTo(0.08 * s, 0.86 * s); ctx.closePath(); ctx.stroke();
            ctx.beginPath(); ctx.moveTo(0.5 * s, 0.38 * s); ctx.lineTo(0.5 * s, 0.6 * s); ctx.stroke();
            ctx.beginPath(); ctx.arc(0.5 * s, 0.73 * s, 0.045 * s, 0, 2 * Math.PI); ctx.fill();
            break;
        case "printer":
            ctx.beginPath(); ctx.rect(0.3 * s, 0.12 * s, 0.4 * s, 0.22 * s); ctx.stroke();
            ctx.beginPath(); ctx.rect(0.12 * s, 0.34 * s, 0.76 * s, 0.34 * s); ctx.stroke();
            ctx.beginPath(); ctx.rect(0.3 * s, 0.56 * s, 0.4 * s, 0.32 * s); ctx.fill();
            break;
        case "language":
            ctx.beginPath(); ctx.arc(0.5 * s, 0.5 * s, 0.38 * s, 0, 2 * Math.PI); ctx.stroke();
            ctx.beginPath(); ctx.ellipse(0.34 * s, 0.12 * s, 0.32 * s, 0.76 * s); ctx.stroke();
            ctx.beginPath(); ctx.moveTo(0.12 * s, 0.5 * s); ctx.lineTo(0.88 * s, 0.5 * s); ctx.stroke();
            break;
        }
    }
}
