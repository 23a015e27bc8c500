pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk

// Technician diagnostics: every device live (DeviceCard), the USB printers found (with the
// url to configure), the serial ports and USB devices, the print journal with reprint, and
// the sync line. Three tabs rather than one long page so each fits a portrait panel without
// scrolling past the device that matters.
Rectangle {
    id: screen
    objectName: "diagnosticsScreen"
    color: Theme.page
    readonly property bool landscape: width > height

    Component {
        id: deviceCard
        DeviceCard {
            id: deviceRow
            required property var modelData
            objectName: "device_" + deviceRow.modelData.name
            row: deviceRow.modelData
            compact: screen.landscape
            Layout.fillWidth: true
            Layout.alignment: Qt.AlignTop
        }
    }

    // One USB printer discovery found: what it is, the url that opens it, whether the kiosk
    // prints on it already. The devices tab and the ports tab both show it.
    component UsbPrinterFacts: ColumnLayout {
        id: facts
        required property var printer
        spacing: 4
        Text {
            textFormat: Text.PlainText
            text: facts.printer.line || ""
            color: Theme.text
            font.pixelSize: Theme.smallSize
            font.weight: Font.Bold
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
        Text {
            textFormat: Text.PlainText
            objectName: "usbPrinterUrl"
            text: "url = \"" + (facts.printer.url || "") + "\""
            color: Theme.blue
            font.pixelSize: Theme.smallSize
            font.family: "monospace"
            wrapMode: Text.WrapAnywhere
            Layout.fillWidth: true
        }
        Text {
            textFormat: Text.PlainText
            objectName: "usbPrinterUse"
            text: facts.printer.configured === true
                  ? qsTr("In use: this is the printer in [devices.printer] url.")
                  : qsTr("Not in use: to print on it, put this url in [devices.printer] and "
                         + "restart the kiosk.")
            color: facts.printer.configured === true ? Theme.green : Theme.text
            font.pixelSize: Theme.smallSize
            font.weight: Font.DemiBold
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
        Text {
            textFormat: Text.PlainText
            text: (facts.printer.bidirectional === true
                   ? qsTr("Two-way: the kiosk can read its paper and cover.")
                   : qsTr("One-way: it prints, but cannot report paper or cover."))
                  + (facts.printer.simulated === true
                     ? "  " + qsTr("Simulated, on a virtual USB bus.") : "")
            color: Theme.muted
            font.pixelSize: Theme.smallSize
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
    }

    TopBar {
        id: bar
        anchors { left: parent.left; right: parent.right; top: parent.top }
        title: qsTr("Device diagnostics")
        onBackClicked: Diagnostics.exit()
    }

    // Landscape has height to spare for nothing: the sync line sits beside the tabs there.
    GridLayout {
        id: head
        anchors { left: parent.left; right: parent.right; top: bar.bottom
                  leftMargin: 24; rightMargin: 24; topMargin: 16 }
        columns: screen.landscape ? 2 : 1
        rowSpacing: 14
        columnSpacing: 14

        // The shipped default PIN still opens this screen: say so until it is changed.
        Rectangle {
            objectName: "defaultPinWarning"
            visible: Technician.defaultPinInUse
            Layout.fillWidth: true
            Layout.columnSpan: screen.landscape ? 2 : 1
            implicitHeight: pinWarning.implicitHeight + 20
            radius: 14
            color: Theme.dangerLight
            Column {
                id: pinWarning
                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                          leftMargin: 18; rightMargin: 18 }
                spacing: 4
                Text {
                    textFormat: Text.PlainText
                    width: parent.width
                    text: Technician.defaultPinWarning
                    color: Theme.text
                    font.pixelSize: Theme.smallSize
                    font.bold: true
                    wrapMode: Text.WordWrap
                }
                Text {
                    textFormat: Text.PlainText
                    width: parent.width
                    text: Technician.defaultPinWarningOther
                    color: Theme.text
                    font.pixelSize: Theme.smallSize
                    wrapMode: Text.WordWrap
                }
            }
        }

        Rectangle {
            Layout.fillWidth: !screen.landscape
            Layout.preferredWidth: screen.landscape ? 640 : -1
            Layout.fillHeight: screen.landscape
            implicitHeight: syncText.implicitHeight + 20
            radius: 14
            color: Diagnostics.syncState === "online" ? Theme.greenLight
                 : Diagnostics.syncState === "problem" ? Theme.dangerLight : Theme.blueLight
            Text {
                textFormat: Text.PlainText
                id: syncText
                objectName: "syncLine"
                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                          leftMargin: 18; rightMargin: 18 }
                text: Diagnostics.syncText
                color: Theme.text
                font.pixelSize: Theme.smallSize
                wrapMode: Text.WordWrap
            }
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: 14
            Repeater {
                model: [
                    { key: "devices", label: qsTr("Devices") },
                    { key: "ports", label: qsTr("Ports") },
                    { key: "journal", label: qsTr("Print journal") }
                ]
                KioskButton {
                    id: tabButton
                    required property var modelData
                    objectName: "tab_" + tabButton.modelData.key
                    kind: Diagnostics.tab === tabButton.modelData.key ? "primary" : "secondary"
                    text: tabButton.modelData.label
                    textSize: Theme.bodySize
                    Layout.fillWidth: true
                    Layout.preferredHeight: 96
                    onClicked: Diagnostics.setTab(tabButton.modelData.key)
                }
            }
            KioskButton {
                objectName: "diagExit"
                kind: "danger"
                text: qsTr("Exit")
                textSize: Theme.bodySize
                Layout.preferredWidth: 230
                Layout.preferredHeight: 96
                onClicked: Diagnostics.exit()
            }
        }
    }

    Item {
        id: body
        anchors { left: parent.left; right: parent.right; top: head.bottom; bottom: parent.bottom
                  leftMargin: 24; rightMargin: 24; topMargin: 18; bottomMargin: 18 }

        // ---- devices
        Flickable {
            id: devicesFlick
            objectName: "devicesPane"
            visible: Diagnostics.tab === "devices"
            anchors.fill: parent
            clip: true
            contentHeight: deviceGrid.implicitHeight
            boundsBehavior: Flickable.StopAtBounds
            // Always shown while there is more below: a technician must see the list goes on.
            ScrollIndicator.vertical: ScrollIndicator {
                active: true
                visible: devicesFlick.contentHeight > devicesFlick.height + 1
                contentItem: Rectangle { implicitWidth: 8; radius: 4; color: Theme.muted }
            }
            GridLayout {
                id: deviceGrid
                width: parent.width - 16   // a gutter for the scroll indicator
                columns: screen.landscape ? 2 : 1
                columnSpacing: 16
                rowSpacing: 16
                Rectangle {
                    objectName: "notManaged"
                    visible: !Diagnostics.managed
                    Layout.fillWidth: true
                    Layout.columnSpan: deviceGrid.columns
                    implicitHeight: nmText.implicitHeight + 48
                    radius: Theme.radius
                    color: Theme.saffronLight
                    border.color: Theme.saffron
                    border.width: 3
                    Text {
                        textFormat: Text.PlainText
                        id: nmText
                        anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                                  margins: 28 }
                        text: qsTr("Devices are not managed in this mode: the kiosk was started "
                                   + "without the device manager. The print journal and the "
                                   + "port list still work.")
                        color: Theme.text
                        font.pixelSize: Theme.bodySize
                        wrapMode: Text.WordWrap
                    }
                }
                // The printer first, then the USB printers found beside it (below it in
                // portrait), then the other devices.
                Repeater {
                    model: Diagnostics.devices.filter(d => d.name === "printer")
                    delegate: deviceCard
                }
                // Printers on the USB bus, configured or not: a new printer's url, read here.
                Rectangle {
                    objectName: "usbPrintersPanel"
                    visible: Diagnostics.usbPrinters.length > 0
                    Layout.fillWidth: true
                    Layout.alignment: Qt.AlignTop
                    implicitHeight: usbCol.implicitHeight + 40
                    radius: Theme.radius
                    color: Theme.card
                    border.color: Theme.border
                    border.width: 2
                    ColumnLayout {
                        id: usbCol
                        anchors { left: parent.left; right: parent.right; top: parent.top
                                  margins: 20 }
                        spacing: 14
                        Text {
                            textFormat: Text.PlainText
                            text: qsTr("USB printers found")
                            color: Theme.blue
                            font.pixelSize: Theme.bodySize
                            font.weight: Font.Bold
                            Layout.fillWidth: true
                        }
                        Repeater {
                            model: Diagnostics.usbPrinters
                            UsbPrinterFacts {
                                id: usbRow
                                required property var modelData
                                required property int index
                                objectName: "usbPrinter_" + usbRow.index
                                printer: usbRow.modelData
                                Layout.fillWidth: true
                            }
                        }
                    }
                }
                Repeater {
                    model: Diagnostics.devices.filter(d => d.name !== "printer")
                    delegate: deviceCard
                }
            }
        }

        // ---- ports
        ColumnLayout {
            visible: Diagnostics.tab === "ports"
            anchors.fill: parent
            spacing: 14
            RowLayout {
                Layout.fillWidth: true
                Text {
                    textFormat: Text.PlainText
                    text: Diagnostics.portsLoading ? qsTr("Looking for ports…")
                                                   : qsTr("USB printers, serial ports and USB devices")
                    color: Theme.text
                    font.pixelSize: Theme.bodySize
                    font.weight: Font.Bold
                    Layout.fillWidth: true
                    elide: Text.ElideRight
                }
                KioskButton {
                    objectName: "portsRefresh"
                    kind: "secondary"
                    text: qsTr("Refresh")
                    textSize: Theme.smallSize
                    enabled: !Diagnostics.portsLoading
                    Layout.preferredHeight: 80
                    Layout.preferredWidth: 220
                    onClicked: Diagnostics.refreshPorts()
                }
            }
            Flickable {
                id: portsFlick
                objectName: "portsPane"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                contentHeight: portsCol.implicitHeight
                boundsBehavior: Flickable.StopAtBounds
            // Always shown while there is more below: a technician must see the list goes on.
            ScrollIndicator.vertical: ScrollIndicator {
                active: true
                visible: portsFlick.contentHeight > portsFlick.height + 1
                contentItem: Rectangle { implicitWidth: 8; radius: 4; color: Theme.muted }
            }
                ColumnLayout {
                    id: portsCol
                    width: parent.width - 16   // a gutter for the scroll indicator
                    spacing: 8
                    Repeater {
                        model: Diagnostics.ports
                        Rectangle {
                            id: portRow
                            required property var modelData
                            Layout.fillWidth: true
                            implicitHeight: portCol.implicitHeight + 20
                            radius: 12
                            color: portRow.modelData.header ? "transparent" : Theme.card
                            border.color: portRow.modelData.configured === true
                                          || (portRow.modelData.known && portRow.modelData.printer !== true)
                                          ? Theme.green : Theme.border
                            border.width: portRow.modelData.header ? 0 : 2
                            ColumnLayout {
                                id: portCol
                                anchors { left: parent.left; right: parent.right
                                          verticalCenter: parent.verticalCenter; margins: 16 }
                                spacing: 2
                                UsbPrinterFacts {
                                    visible: portRow.modelData.printer === true
                                    printer: portRow.modelData
                                    Layout.fillWidth: true
                                }
                                Text {
                                    textFormat: Text.PlainText
                                    visible: portRow.modelData.printer !== true
                                    text: portRow.modelData.empty ? qsTr("None found.")
                                        : !portRow.modelData.header ? portRow.modelData.line
                                        : portRow.modelData.line === "serial" ? qsTr("Serial ports")
                                        : portRow.modelData.line === "usb_printers"
                                          ? (portRow.modelData.backend ? qsTr("USB printers")
                                             : qsTr("USB printers (no libusb backend: list unavailable)"))
                                        : (portRow.modelData.backend ? qsTr("USB devices")
                                           : qsTr("USB devices (no libusb backend: list unavailable)"))
                                    color: portRow.modelData.header ? Theme.blue
                                         : portRow.modelData.empty ? Theme.muted : Theme.text
                                    font.pixelSize: portRow.modelData.header ? Theme.bodySize : Theme.smallSize
                                    font.weight: portRow.modelData.header ? Font.Bold : Font.Normal
                                    wrapMode: Text.WrapAnywhere
                                    Layout.fillWidth: true
                                }
                                Text {
                                    textFormat: Text.PlainText
                                    visible: !portRow.modelData.header && portRow.modelData.known
                                             && portRow.modelData.printer !== true
                                    text: portRow.modelData.note || ""
                                    color: Theme.green
                                    font.pixelSize: Theme.smallSize
                                    font.weight: Font.DemiBold
                                    wrapMode: Text.WordWrap
                                    Layout.fillWidth: true
                                }
                            }
                        }
                    }
                }
            }
        }

        // ---- print journal
        ColumnLayout {
            visible: Diagnostics.tab === "journal"
            anchors.fill: parent
            spacing: 14
            RowLayout {
                Layout.fillWidth: true
                Text {
                    textFormat: Text.PlainText
                    text: qsTr("Last print jobs")
                    color: Theme.text
                    font.pixelSize: Theme.bodySize
                    font.weight: Font.Bold
                    Layout.fillWidth: true
                    elide: Text.ElideRight
                }
                KioskButton {
                    objectName: "journalRefresh"
                    kind: "secondary"
                    text: qsTr("Refresh")
                    textSize: Theme.smallSize
                    enabled: !Diagnostics.journalLoading
                    Layout.preferredHeight: 80
                    Layout.preferredWidth: 220
                    onClicked: Diagnostics.refreshJournal()
                }
            }
            Rectangle {
                visible: Diagnostics.notice !== ""
                Layout.fillWidth: true
                implicitHeight: noticeText.implicitHeight + 20
                radius: 12
                color: Diagnostics.noticeOk ? Theme.greenLight : Theme.dangerLight
                Text {
                    textFormat: Text.PlainText
                    id: noticeText
                    objectName: "journalNotice"
                    anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                              leftMargin: 16; rightMargin: 16 }
                    text: Diagnostics.notice
                    color: Diagnostics.noticeOk ? Theme.green : Theme.danger
                    font.pixelSize: Theme.smallSize
                    font.weight: Font.DemiBold
                    wrapMode: Text.WordWrap
                }
            }
            Text {
                textFormat: Text.PlainText
                visible: Diagnostics.journal.length === 0 && !Diagnostics.journalLoading
                text: qsTr("Nothing has been printed yet.")
                color: Theme.muted
                font.pixelSize: Theme.bodySize
            }
            Flickable {
                id: journalFlick
                objectName: "journalPane"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                contentHeight: journalGrid.implicitHeight
                boundsBehavior: Flickable.StopAtBounds
            // Always shown while there is more below: a technician must see the list goes on.
            ScrollIndicator.vertical: ScrollIndicator {
                active: true
                visible: journalFlick.contentHeight > journalFlick.height + 1
                contentItem: Rectangle { implicitWidth: 8; radius: 4; color: Theme.muted }
            }
                GridLayout {
                    id: journalGrid
                    width: parent.width - 16   // a gutter for the scroll indicator
                    columns: screen.landscape ? 2 : 1
                    columnSpacing: 12
                    rowSpacing: 10
                    Repeater {
                        model: Diagnostics.journal
                        Rectangle {
                            id: jobRow
                            required property var modelData
                            objectName: "job_" + jobRow.modelData.id
                            Layout.fillWidth: true
                            Layout.alignment: Qt.AlignTop
                            implicitHeight: Math.max(jobCol.implicitHeight, 80) + 20
                            radius: 12
                            color: Theme.card
                            border.color: jobRow.modelData.state === "failed" ? Theme.danger : Theme.border
                            border.width: 2
                            ColumnLayout {
                                id: jobCol
                                anchors { left: parent.left; right: jobButton.visible ? jobButton.left : parent.right
                                          verticalCenter: parent.verticalCenter
                                          leftMargin: 16; rightMargin: 12 }
                                spacing: 2
                                RowLayout {
                                    Layout.fillWidth: true
                                    spacing: 12
                                    Text {
                                        textFormat: Text.PlainText
                                        text: "#" + jobRow.modelData.id + "  " + jobRow.modelData.time + "  "
                                              + jobRow.modelData.kindText + "  " + jobRow.modelData.label
                                        color: Theme.text
                                        font.pixelSize: Theme.smallSize
                                        elide: Text.ElideRight
                                        Layout.fillWidth: true
                                    }
                                    Text {
                                        textFormat: Text.PlainText
                                        objectName: "jobState_" + jobRow.modelData.id
                                        text: jobRow.modelData.stateText
                                        color: jobRow.modelData.state === "failed" ? Theme.danger
                                             : jobRow.modelData.state === "confirmed" ? Theme.green
                                             : Theme.blue
                                        font.pixelSize: Theme.smallSize
                                        font.weight: Font.Bold
                                    }
                                }
                                Text {
                                    textFormat: Text.PlainText
                                    visible: jobRow.modelData.reason !== "" || jobRow.modelData.reprinted
                                    text: jobRow.modelData.reprinted
                                          ? qsTr("Reprinted since.") + "  " + jobRow.modelData.reason
                                          : jobRow.modelData.reason
                                    color: Theme.muted
                                    font.pixelSize: Theme.smallSize
                                    wrapMode: Text.WrapAnywhere
                                    maximumLineCount: 2
                                    elide: Text.ElideRight
                                    Layout.fillWidth: true
                                }
                            }
                            KioskButton {
                                id: jobButton
                                objectName: "reprint_" + jobRow.modelData.id
                                visible: jobRow.modelData.canReprint
                                kind: "saffron"
                                text: qsTr("Reprint")
                                textSize: Theme.smallSize
                                width: 200
                                height: 80
                                anchors { right: parent.right; verticalCenter: parent.verticalCenter
                                          rightMargin: 12 }
                                onClicked: Diagnostics.reprint(jobRow.modelData.id)
                            }
                        }
                    }
                }
            }
        }
    }
}
