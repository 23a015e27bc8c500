import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk

// The service's documents as a checklist: "I have this with me". Nothing here blocks the
// application; what is missing is printed on the acknowledgement to be shown at the counter.
Item {
    id: page
    objectName: "applyDocumentsPage"
    property bool landscape: false

    Flickable {
        id: flick
        objectName: "applyFlick"
        anchors { left: parent.left; right: parent.right; top: parent.top; bottom: nav.top }
        contentHeight: column.implicitHeight + 2 * 28
        clip: true
        boundsBehavior: Flickable.StopAtBounds
        ScrollIndicator.vertical: ScrollIndicator {
            active: true
            visible: flick.contentHeight > flick.height + 1
            contentItem: Rectangle { implicitWidth: 8; radius: 4; color: Theme.muted }
        }
        ColumnLayout {
            id: column
            x: Theme.margin
            y: 28
            width: flick.width - 2 * Theme.margin
            spacing: 20
            Text {
                textFormat: Text.PlainText
                text: qsTr("Which of these documents do you have with you?")
                color: Theme.text
                font.pixelSize: page.landscape ? Theme.largeSize : Theme.headingSize
                font.weight: Font.Bold
                wrapMode: Text.WordWrap
                Layout.fillWidth: true
            }
            Text {
                textFormat: Text.PlainText
                text: qsTr("Tap each one you have. Missing documents can be shown at the counter later.")
                color: Theme.muted
                font.pixelSize: Theme.bodySize
                wrapMode: Text.WordWrap
                Layout.fillWidth: true
            }
            // "I have all of these": every document ticked in one tap, and said so under it
            // (tapped again, all are unticked); the single ticks below still work.
            ApplyToggle {
                objectName: "docsAll"
                visible: Apply.documents.length > 1
                square: true
                text: qsTr("I have all of these")
                subText: Apply.allDocuments ? qsTr("All of them are ticked. Tap one to untick it.") : ""
                checked: Apply.allDocuments
                Layout.fillWidth: true
                onClicked: Apply.setAllDocuments(!Apply.allDocuments)
            }
            GridLayout {
                columns: page.landscape ? 2 : 1
                columnSpacing: Theme.gap
                rowSpacing: 20
                Layout.fillWidth: true
                Layout.topMargin: 8
                Repeater {
                    model: Apply.documents
                    ApplyToggle {
                        required property var modelData
                        objectName: "doc_" + modelData.key
                        square: true
                        text: modelData.name
                        subText: modelData.nameOther
                        checked: modelData.have
                        Layout.fillWidth: true
                        Layout.preferredWidth: 1
                        Layout.fillHeight: true
                        onClicked: Apply.toggleDocument(modelData.key)
                    }
                }
            }
        }
    }

    ApplyNavBar {
        id: nav
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        onBackClicked: Apply.back()
        onNextClicked: Apply.next()
    }
}
