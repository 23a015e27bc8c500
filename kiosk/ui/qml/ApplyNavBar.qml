import QtQuick
import QtQuick.Layouts

// The wizard's bottom bar: Back on the left, the step's main action (Next / Submit) on the
// right, large and always in the same place. It rides above the on-screen keyboard.
Rectangle {
    id: nav
    property string nextText: qsTr("Next")
    property string nextName: "nextButton"
    property bool nextEnabled: true
    property bool nextVisible: true       // the payment page has Back only
    property bool backEnabled: true
    property string nextIcon: ""
    property bool compact: false          // landscape with the keyboard up: every line counts
    signal backClicked()
    signal nextClicked()
    color: Theme.card
    implicitHeight: compact ? 112 : 152
    Rectangle { anchors { left: parent.left; right: parent.right; top: parent.top } height: 2; color: Theme.border }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.margin
        anchors.rightMargin: Theme.margin
        anchors.topMargin: nav.compact ? 8 : 20
        anchors.bottomMargin: nav.compact ? 8 : 20
        spacing: Theme.gap
        KioskButton {
            objectName: "navBack"
            kind: "secondary"
            iconName: "back"
            text: qsTr("Back")
            textSize: Theme.bodySize
            enabled: nav.backEnabled
            Layout.preferredWidth: 1
            Layout.fillWidth: true
            Layout.fillHeight: true
            onClicked: nav.backClicked()
        }
        KioskButton {
            objectName: nav.nextName
            text: nav.nextText
            iconName: nav.nextIcon
            enabled: nav.nextEnabled
            visible: nav.nextVisible
            textSize: Theme.largeSize
            Layout.preferredWidth: 2
            Layout.fillWidth: true
            Layout.fillHeight: true
            onClicked: nav.nextClicked()
        }
    }
}
