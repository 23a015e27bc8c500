import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts

// While the token is being saved: a visible "please wait" so nobody taps twice.
Rectangle {
    id: overlay
    objectName: "busyOverlay"
    color: "#990B1B3A"
    MouseArea { anchors.fill: parent }
    Rectangle {
        anchors.centerIn: parent
        width: Math.min(parent.width - 2 * Theme.margin, 760)
        height: 340
        radius: Theme.radius
        color: Theme.card
        ColumnLayout {
            anchors.centerIn: parent
            spacing: 24
            BusyIndicator {
                running: overlay.visible
                Layout.alignment: Qt.AlignHCenter
                Layout.preferredWidth: 120
                Layout.preferredHeight: 120
            }
            Text {
                textFormat: Text.PlainText
                text: qsTr("Please wait…")
                color: Theme.text
                font.pixelSize: Theme.headingSize
                font.weight: Font.Bold
                Layout.alignment: Qt.AlignHCenter
            }
        }
    }
}
