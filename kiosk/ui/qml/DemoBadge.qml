import QtQuick
import Kiosk

// Demo mode (`kiosk run --demo`): payments confirm themselves, so every screen says, in both
// languages, that nothing here is real. Not a touch target: taps go through to the screen.
Rectangle {
    id: badge
    objectName: "demoBadge"
    visible: Session.demoBadge !== ""
    radius: 12
    color: "#E6B3261E"
    border.color: "white"
    border.width: 3
    implicitHeight: label.implicitHeight + 12
    implicitWidth: label.implicitWidth + 40

    Text {
        id: label
        objectName: "demoText"
        anchors.centerIn: parent
        text: Session.demoBadge
        textFormat: Text.PlainText
        color: "white"
        font.pixelSize: 26
        font.weight: Font.Bold
    }
}
