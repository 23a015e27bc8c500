import QtQuick
import QtQuick.Layouts
import Kiosk

// A citizen-facing error (never a stack trace): the sentence in the session language, the same
// sentence in the other language beneath, and one big OK.
Rectangle {
    id: overlay
    objectName: "errorOverlay"
    color: "#CC0B1B3A"

    MouseArea { anchors.fill: parent }

    Rectangle {
        anchors.centerIn: parent
        width: Math.min(parent.width - 2 * Theme.margin, 920)
        height: col.implicitHeight + 96
        radius: Theme.radius
        color: Theme.card
        border.color: Theme.danger
        border.width: 4

        ColumnLayout {
            id: col
            anchors.centerIn: parent
            width: parent.width - 96
            spacing: 24
            Icon {
                name: "warning"
                color: Theme.danger
                Layout.alignment: Qt.AlignHCenter
                Layout.preferredWidth: 120
                Layout.preferredHeight: 120
            }
            Text {
                textFormat: Text.PlainText
                objectName: "errorText"
                text: Session.errorText
                color: Theme.text
                font.pixelSize: Theme.largeSize
                font.weight: Font.Bold
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.WordWrap
                Layout.fillWidth: true
            }
            Text {
                textFormat: Text.PlainText
                text: Session.errorTextOther
                color: Theme.muted
                font.pixelSize: Theme.bodySize
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.WordWrap
                Layout.fillWidth: true
            }
            KioskButton {
                objectName: "errorOk"
                text: qsTr("OK")
                textSize: Theme.headingSize
                Layout.fillWidth: true
                Layout.preferredHeight: 150
                onClicked: Session.dismissError()
            }
        }
    }
}
