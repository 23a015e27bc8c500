import QtQuick

// Placeholder: filled in by the status screen's own work.
Rectangle {
    objectName: "statusScreen"
    color: Theme.page
    TopBar {
        id: bar
        anchors { left: parent.left; right: parent.right; top: parent.top }
        title: ""
        onBackClicked: session.goBack()
    }
}
