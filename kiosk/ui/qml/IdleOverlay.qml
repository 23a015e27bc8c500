import QtQuick
import QtQuick.Layouts
import Kiosk

// "Are you still there?" in both languages: the citizen may have switched to the language
// they read less well, and the next person in line may be the one reading it.
Rectangle {
    id: overlay
    objectName: "idleOverlay"
    color: "#CC0B1B3A"

    MouseArea { anchors.fill: parent }   // a modal sheet: taps never reach the screen below

    Rectangle {
        anchors.centerIn: parent
        width: Math.min(parent.width - 2 * Theme.margin, 920)
        height: col.implicitHeight + 96
        radius: Theme.radius
        color: Theme.card

        ColumnLayout {
            id: col
            anchors.centerIn: parent
            width: parent.width - 96
            spacing: 24
            Text {
                textFormat: Text.PlainText
                text: Session.translate("Are you still there?", "hi")
                color: Theme.text
                font.pixelSize: Theme.headingSize
                font.weight: Font.Bold
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.WordWrap
                Layout.fillWidth: true
            }
            Text {
                textFormat: Text.PlainText
                text: "Are you still there?"
                color: Theme.text
                font.pixelSize: Theme.largeSize
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.WordWrap
                Layout.fillWidth: true
            }
            Rectangle {
                Layout.alignment: Qt.AlignHCenter
                Layout.topMargin: 12
                implicitWidth: 200; implicitHeight: 200; radius: 100
                color: Theme.saffronLight
                border.color: Theme.saffron
                border.width: 8
                Text {
                    textFormat: Text.PlainText
                    objectName: "idleRemaining"
                    anchors.centerIn: parent
                    text: String(Session.idleRemaining)
                    color: Theme.saffron
                    font.family: "Noto Sans"
                    font.pixelSize: 104
                    font.weight: Font.Bold
                }
            }
            Text {
                textFormat: Text.PlainText
                text: Session.translate("The screen will return to the start.", "hi")
                      + "\nThe screen will return to the start."
                color: Theme.muted
                font.pixelSize: Theme.bodySize
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.WordWrap
                Layout.fillWidth: true
            }
            KioskButton {
                objectName: "idleContinue"
                kind: "primary"
                text: Session.translate("Yes, continue", "hi")
                subText: "Yes, continue"
                textSize: Theme.headingSize
                Layout.fillWidth: true
                Layout.preferredHeight: 170
                Layout.topMargin: 12
                onClicked: Session.stillHere()
            }
        }
    }
}
