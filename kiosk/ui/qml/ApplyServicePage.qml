pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk

// Page 1: which service? A search box (Hindi or English, names and common words such as
// "aay" or "jati") above the service tiles. Tiles come in pages that fit the screen, with
// "More services" when there are more: nothing hides below the fold or under the keyboard.
Item {
    id: page
    objectName: "applyServicePage"
    property real keyboardHeight: 0
    property bool landscape: false
    property int pageIndex: 0

    readonly property int columns: landscape ? 3 : 2
    readonly property int spacing: 18
    readonly property real tileHeight: landscape ? 164 : 206
    readonly property int count: Apply.services.length
    function rowsFor(h) { return Math.max(1, Math.floor((h + spacing) / (tileHeight + spacing))) }
    // Portrait pages with a bar under the tiles; landscape (short, and shorter still with the
    // keyboard up) with arrows beside them, so a row of tiles always fits.
    readonly property real sideWidth: landscape ? 112 : 0
    readonly property bool paged: count > rowsFor(area.height) * columns
    readonly property int perPage: rowsFor(area.height - (paged && !landscape ? pager.height + spacing : 0)) * columns
    readonly property int pageCount: Math.max(1, Math.ceil(count / perPage))
    readonly property var shown: Apply.services.slice(pageIndex * perPage, (pageIndex + 1) * perPage)

    onCountChanged: pageIndex = 0
    onPageCountChanged: if (pageIndex >= pageCount) pageIndex = pageCount - 1

    GridLayout {
        id: head
        anchors { left: parent.left; right: parent.right; top: parent.top
                  leftMargin: Theme.margin; rightMargin: Theme.margin; topMargin: 24 }
        columns: page.landscape ? 2 : 1
        columnSpacing: Theme.gap
        rowSpacing: 14
        Text {
            textFormat: Text.PlainText
            text: qsTr("Which certificate or service do you need?")
            color: Theme.text
            font.pixelSize: Theme.largeSize
            font.weight: Font.Bold
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
            Layout.preferredWidth: 1
        }
        TextField {
            id: search
            objectName: "serviceSearch"
            Layout.fillWidth: true
            Layout.preferredWidth: 1
            Layout.preferredHeight: 88
            font.pixelSize: 36
            leftPadding: 28
            placeholderText: qsTr("Search, e.g. income or आय")
            placeholderTextColor: Theme.muted
            inputMethodHints: Qt.ImhNoPredictiveText
            text: Apply.query
            onTextChanged: Apply.setQuery(text)
            background: Rectangle {
                radius: 18
                color: Theme.card
                border.width: search.activeFocus ? 4 : 2
                border.color: search.activeFocus ? Theme.blue : Theme.border
            }
        }
    }

    Item {
        id: area
        anchors { left: parent.left; right: parent.right; top: head.bottom; bottom: parent.bottom
                  leftMargin: Theme.margin; rightMargin: Theme.margin; topMargin: 20
                  bottomMargin: page.keyboardHeight + 20 }

        GridLayout {
            id: grid
            anchors { left: parent.left; right: parent.right; top: parent.top
                      leftMargin: page.paged ? page.sideWidth + page.spacing : 0
                      rightMargin: page.paged ? page.sideWidth + page.spacing : 0 }
            columns: page.columns
            columnSpacing: page.spacing
            rowSpacing: page.spacing
            Repeater {
                model: page.shown
                ApplyServiceTile {
                    required property var modelData
                    objectName: "service_" + modelData.code
                    service: modelData
                    compact: page.landscape
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    Layout.preferredHeight: page.tileHeight
                    onClicked: Apply.chooseService(modelData.code)
                }
            }
        }
        Text {
            textFormat: Text.PlainText
            objectName: "noServices"
            visible: page.count === 0
            anchors { left: parent.left; right: parent.right; top: parent.top }
            text: qsTr("No service matches. Try another word, or ask at the counter.")
            color: Theme.muted
            font.pixelSize: Theme.bodySize
            wrapMode: Text.WordWrap
        }

        RowLayout {
            id: pager
            visible: page.paged && !page.landscape
            height: 96
            anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
            spacing: Theme.gap
            KioskButton {
                objectName: "servicesPrevious"
                kind: "secondary"
                iconName: "back"
                text: qsTr("Previous")
                textSize: Theme.bodySize
                enabled: page.pageIndex > 0
                Layout.fillHeight: true
                Layout.preferredWidth: 1
                Layout.fillWidth: true
                onClicked: page.pageIndex -= 1
            }
            Text {
                textFormat: Text.PlainText
                objectName: "servicesPageText"
                text: qsTr("Page %1 of %2").arg(page.pageIndex + 1).arg(page.pageCount)
                color: Theme.muted
                font.pixelSize: Theme.bodySize
                horizontalAlignment: Text.AlignHCenter
                Layout.preferredWidth: 1
                Layout.fillWidth: true
            }
            KioskButton {
                objectName: "servicesMore"
                text: qsTr("More services")
                textSize: Theme.bodySize
                enabled: page.pageIndex < page.pageCount - 1
                Layout.fillHeight: true
                Layout.preferredWidth: 1
                Layout.fillWidth: true
                onClicked: page.pageIndex += 1
            }
        }
        KioskButton {
            objectName: "servicesPrevious"
            visible: page.paged && page.landscape
            kind: "secondary"
            iconName: "back"
            text: ""
            Accessible.name: qsTr("Previous")
            enabled: page.pageIndex > 0
            width: page.sideWidth
            height: Math.min(grid.height, area.height)
            anchors { left: parent.left; top: parent.top }
            onClicked: page.pageIndex -= 1
        }
        KioskButton {
            objectName: "servicesMore"
            visible: page.paged && page.landscape
            iconName: "back"
            rotation: 180             // the "back" arrow, pointing on
            Accessible.name: qsTr("More services")
            enabled: page.pageIndex < page.pageCount - 1
            width: page.sideWidth
            height: Math.min(grid.height, area.height)
            anchors { right: parent.right; top: parent.top }
            onClicked: page.pageIndex += 1
        }
    }
}
