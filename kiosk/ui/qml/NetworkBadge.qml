import QtQuick
import Kiosk

// A quiet corner badge: is the central server reachable, and how many records wait to be
// sent. Not a touch target; it never blocks anything a citizen does.
Rectangle {
    id: badge
    objectName: "networkBadge"
    visible: Network.available
    radius: height / 2
    color: "#CC0B2E5C"
    implicitHeight: 48
    implicitWidth: label.implicitWidth + dot.width + 44

    Rectangle {
        id: dot
        width: 18; height: 18; radius: 9
        anchors.left: parent.left
        anchors.leftMargin: 16
        anchors.verticalCenter: parent.verticalCenter
        color: Network.state === "online" ? "#3DBE6B"
             : Network.state === "auth" ? "#E5484D" : "#B8BDC7"
    }
    Text {
        textFormat: Text.PlainText
        id: label
        objectName: "networkText"
        anchors.left: dot.right
        anchors.leftMargin: 10
        anchors.verticalCenter: parent.verticalCenter
        text: Network.text
        color: "white"
        font.pixelSize: 22
    }
}
