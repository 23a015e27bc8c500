import QtQuick
import QtQuick.Layouts
import ".."

// "Centre service: online" — a dot and a label; `good` decides green, red or grey.
Rectangle {
    id: badge
    property string label: ""
    property string value: ""
    property string tone: "unknown"         // good | bad | unknown
    radius: height / 2
    color: "#1AFFFFFF"
    implicitHeight: Math.round(32 * CounterStyle.scale)
    implicitWidth: row.implicitWidth + 24
    RowLayout {
        id: row
        anchors.centerIn: parent
        spacing: 8
        Rectangle {
            Layout.preferredWidth: Math.round(12 * CounterStyle.scale)
            Layout.preferredHeight: Layout.preferredWidth
            radius: width / 2
            color: badge.tone === "good" ? "#3DDC6A" : badge.tone === "bad" ? "#FF6B5E" : "#B8C2D6"
        }
        Text {
            textFormat: Text.PlainText
            text: badge.label + ": " + badge.value
            color: "white"
            font.pixelSize: CounterStyle.small
        }
    }
}
