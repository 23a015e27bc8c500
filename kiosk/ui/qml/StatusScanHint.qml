import QtQuick
import QtQuick.Layouts

// "Hold the code to the scanner", as a picture first: a paper (the acknowledgement slip, or a
// certificate) whose QR code faces a scanner's red beam. Drawn in code like Icon.qml, so
// nothing is shipped and it scales. Used by the status and the verify screens.
Rectangle {
    id: hint
    property string kind: "slip"          // slip | certificate
    property string title: ""
    property string subText: ""
    property bool compact: false
    property bool large: false             // picture above the words (an empty portrait screen)
    radius: Theme.radius
    color: Theme.blueLight
    border.color: Theme.blue
    border.width: 2
    implicitHeight: row.implicitHeight + (compact ? 32 : 48)

    GridLayout {
        id: row
        anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                  leftMargin: 28; rightMargin: 28 }
        columns: hint.large ? 1 : 2
        columnSpacing: 28
        rowSpacing: 20

        Canvas {
            id: picture
            Layout.preferredWidth: hint.large ? 480 : hint.compact ? 170 : 230
            Layout.preferredHeight: hint.large ? 360 : hint.compact ? 130 : 180
            Layout.alignment: Qt.AlignHCenter
            antialiasing: true
            onWidthChanged: requestPaint()
            onHeightChanged: requestPaint()

            // A fixed, QR-looking pattern: three finder squares and scattered modules.
            function qr(ctx, x, y, s) {
                var m = s / 9;
                ctx.fillStyle = "white";
                ctx.fillRect(x - m * 0.5, y - m * 0.5, s + m, s + m);
                ctx.fillStyle = Theme.text;
                var finders = [[0, 0], [6, 0], [0, 6]];
                for (var f = 0; f < finders.length; f++) {
                    var fx = x + finders[f][0] * m, fy = y + finders[f][1] * m;
                    ctx.fillRect(fx, fy, 3 * m, 3 * m);
                    ctx.fillStyle = "white";
                    ctx.fillRect(fx + m * 0.6, fy + m * 0.6, m * 1.8, m * 1.8);
                    ctx.fillStyle = Theme.text;
                    ctx.fillRect(fx + m, fy + m, m, m);
                }
                var dots = [[4, 1], [4, 3], [3, 4], [5, 4], [7, 4], [4, 5], [6, 6], [8, 6],
                            [5, 7], [7, 7], [4, 8], [6, 8], [8, 8], [1, 4], [8, 3]];
                for (var d = 0; d < dots.length; d++)
                    ctx.fillRect(x + dots[d][0] * m, y + dots[d][1] * m, m, m);
            }

            onPaint: {
                var ctx = getContext("2d");
                ctx.reset();
                var w = width, h = height;
                ctx.lineJoin = "round";
                ctx.lineCap = "round";
                // the paper, slightly tilted toward the scanner
                ctx.save();
                ctx.translate(w * 0.04, h * 0.06);
                ctx.rotate(-0.06);
                var pw = hint.kind === "certificate" ? w * 0.5 : w * 0.4;
                var ph = h * 0.86;
                ctx.fillStyle = "white";
                ctx.strokeStyle = Theme.blue;
                ctx.lineWidth = Math.max(2, w * 0.014);
                ctx.fillRect(0, 0, pw, ph);
                ctx.strokeRect(0, 0, pw, ph);
                ctx.strokeStyle = Theme.border;
                ctx.lineWidth = Math.max(2, h * 0.025);
                for (var i = 0; i < 3; i++) {
                    ctx.beginPath();
                    ctx.moveTo(pw * 0.15, ph * (0.12 + i * 0.1));
                    ctx.lineTo(pw * (i === 1 ? 0.65 : 0.85), ph * (0.12 + i * 0.1));
                    ctx.stroke();
                }
                if (hint.kind === "certificate") {
                    ctx.fillStyle = Theme.saffron;   // the office's seal
                    ctx.beginPath();
                    ctx.arc(pw * 0.25, ph * 0.72, pw * 0.11, 0, 2 * Math.PI);
                    ctx.fill();
                    qr(ctx, pw * 0.5, ph * 0.52, pw * 0.38);
                } else {
                    qr(ctx, pw * 0.2, ph * 0.46, pw * 0.6);
                }
                ctx.restore();
                // the scanner and its beam
                var sx = w * 0.7, sy = h * 0.18, sw = w * 0.26, sh = h * 0.6;
                ctx.fillStyle = Theme.blueDark;
                ctx.beginPath();
                ctx.moveTo(sx, sy);
                ctx.lineTo(sx + sw, sy + sh * 0.1);
                ctx.lineTo(sx + sw, sy + sh * 0.9);
                ctx.lineTo(sx, sy + sh);
                ctx.closePath();
                ctx.fill();
                ctx.fillStyle = "#66D32F2F";
                ctx.beginPath();
                ctx.moveTo(sx, sy + sh * 0.2);
                ctx.lineTo(w * 0.36, h * 0.2);
                ctx.lineTo(w * 0.36, h * 0.92);
                ctx.lineTo(sx, sy + sh * 0.8);
                ctx.closePath();
                ctx.fill();
                ctx.strokeStyle = "#D32F2F";
                ctx.lineWidth = Math.max(2, h * 0.018);
                ctx.beginPath();
                ctx.moveTo(sx, sy + sh * 0.5);
                ctx.lineTo(w * 0.36, h * 0.56);
                ctx.stroke();
            }
        }

        ColumnLayout {
            spacing: 8
            Layout.fillWidth: true
            Text {
                textFormat: Text.PlainText
                text: hint.title
                color: Theme.blue
                font.pixelSize: hint.large ? Theme.headingSize
                                : hint.compact ? Theme.bodySize : Theme.largeSize
                font.weight: Font.Bold
                wrapMode: Text.WordWrap
                horizontalAlignment: hint.large ? Text.AlignHCenter : Text.AlignLeft
                Layout.fillWidth: true
            }
            Text {
                textFormat: Text.PlainText
                visible: hint.subText !== ""
                text: hint.subText
                color: Theme.muted
                font.pixelSize: hint.large ? Theme.bodySize : Theme.smallSize
                wrapMode: Text.WordWrap
                horizontalAlignment: hint.large ? Text.AlignHCenter : Text.AlignLeft
                Layout.fillWidth: true
            }
        }
    }
}
