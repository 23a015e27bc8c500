pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk

// "Is this certificate genuine?": the QR code held to the scanner (or its text typed/pasted by
// an operator), checked offline against the issuing offices' keys and the list of cancelled
// certificates this kiosk last synced. The verdict is one big word on its colour; the
// certified facts below it are shown only when the signature checked out.
Rectangle {
    id: screen
    objectName: "verifyScreen"
    color: Theme.page
    readonly property bool landscape: width > height
    readonly property bool done: Verify.verifyState === "done"
    readonly property bool idle: Verify.verifyState === "idle"
    // Landscape: the on-screen keyboard covers the lower half, so the field moves up.
    readonly property bool roomy: !(landscape && KeyboardArea.height > 0)

    function toneInk(tone) {
        switch (tone) {
        case "good": return Theme.green
        case "bad": return Theme.danger
        case "wait": return "#7A3A00"
        default: return Theme.blue
        }
    }
    function toneFill(tone) {
        switch (tone) {
        case "good": return Theme.greenLight
        case "bad": return Theme.dangerLight
        case "wait": return Theme.saffronLight
        default: return Theme.blueLight
        }
    }
    function submit() {
        codeField.focus = false
        KeyboardArea.dismiss()
        Verify.verify(codeField.text)
    }

    // A check starting closes the keyboard; "Verify another" empties the field. Only on those
    // changes: a language switch re-emits the state and must keep what was typed.
    property string shownState: "idle"
    Connections {
        target: Verify
        function onVerifyChanged() {
            var now = Verify.verifyState
            if (now === screen.shownState)
                return
            if (now === "checking") {
                codeField.focus = false
                KeyboardArea.dismiss()
            } else if (now === "idle") {
                codeField.text = ""
            }
            screen.shownState = now
        }
    }

    // The code is Latin letters and digits whatever the session language: the field's
    // ImhLatinOnly hint gives it the keyboard's Latin page (digits on its top row).

    TopBar {
        id: bar
        anchors { left: parent.left; right: parent.right; top: parent.top }
        title: qsTr("Verify a certificate")
        onBackClicked: Session.goBack()
    }

    GridLayout {
        anchors { left: parent.left; right: parent.right; top: bar.bottom; bottom: parent.bottom
                  margins: screen.landscape ? 36 : Theme.margin }
        columns: screen.landscape ? 2 : 1
        columnSpacing: Theme.gap
        rowSpacing: Theme.gap

        // ---- how to check: the scanner first, the typed code for staff
        ColumnLayout {
            // In portrait the verdict takes the whole screen; "Verify another" brings this back.
            visible: screen.landscape || !screen.done
            spacing: Theme.gap
            Layout.fillWidth: true
            Layout.fillHeight: screen.landscape
            Layout.preferredWidth: 1
            Layout.alignment: Qt.AlignTop

            StatusScanHint {
                objectName: "verifyScanHint"
                visible: screen.roomy
                kind: "certificate"
                compact: screen.landscape
                large: !screen.landscape
                title: qsTr("Scan the QR code on the certificate")
                subText: qsTr("Hold the certificate's square code in front of the scanner. The check works without internet.")
                Layout.fillWidth: true
            }

            Rectangle {
                Layout.fillWidth: true
                Layout.preferredHeight: codeColumn.implicitHeight + 56
                radius: Theme.radius
                color: Theme.card
                border.color: Theme.border
                border.width: 2
                ColumnLayout {
                    id: codeColumn
                    anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                              leftMargin: 32; rightMargin: 32 }
                    spacing: 18
                    Text {
                        textFormat: Text.PlainText
                        text: qsTr("Or type or paste the text of the code (for staff)")
                        color: Theme.muted
                        font.pixelSize: Theme.smallSize
                        wrapMode: Text.WordWrap
                        Layout.fillWidth: true
                    }
                    TextField {
                        id: codeField
                        objectName: "verifyCodeField"
                        property bool touchTarget: true
                        Layout.fillWidth: true
                        Layout.preferredHeight: 100
                        font.family: "Noto Sans"
                        font.pixelSize: Theme.smallSize
                        color: Theme.text
                        leftPadding: 24
                        rightPadding: 24
                        maximumLength: 4296
                        inputMethodHints: Qt.ImhLatinOnly | Qt.ImhNoPredictiveText
                                          | Qt.ImhNoAutoUppercase | Qt.ImhUrlCharactersOnly
                        placeholderText: "https://verify… / SC1…"
                        placeholderTextColor: Theme.disabledText
                        background: Rectangle {
                            radius: 18
                            color: "white"
                            border.width: codeField.activeFocus ? 4 : 3
                            border.color: codeField.activeFocus ? Theme.saffron : Theme.blue
                        }
                        onAccepted: screen.submit()
                    }
                    KioskButton {
                        objectName: "verifyCheckButton"
                        text: qsTr("Verify")
                        iconName: "verify"
                        enabled: codeField.text.trim() !== "" && Verify.verifyState !== "checking"
                        Layout.fillWidth: true
                        Layout.preferredHeight: 104
                        onClicked: screen.submit()
                    }
                }
            }
            Item { visible: screen.landscape; Layout.fillHeight: true }
        }

        // ---- the verdict
        Item {
            visible: screen.landscape || !screen.idle
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredWidth: 1

            Text {
                textFormat: Text.PlainText
                visible: screen.idle
                anchors.centerIn: parent
                width: parent.width - 80
                text: qsTr("The result will appear here.")
                color: Theme.muted
                font.pixelSize: Theme.largeSize
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.WordWrap
            }

            RowLayout {
                visible: Verify.verifyState === "checking"
                anchors.centerIn: parent
                spacing: 24
                BusyIndicator { running: parent.visible
                                Layout.preferredWidth: 80; Layout.preferredHeight: 80 }
                Text {
                    textFormat: Text.PlainText
                    text: qsTr("Checking the certificate…")
                    color: Theme.blue
                    font.pixelSize: Theme.largeSize
                    font.weight: Font.DemiBold
                }
            }

            ColumnLayout {
                visible: screen.done
                anchors.fill: parent
                spacing: screen.landscape ? 18 : Theme.gap

                Rectangle {
                    objectName: "verdictPanel"
                    Layout.fillWidth: true
                    Layout.preferredHeight: verdictColumn.implicitHeight + (screen.landscape ? 40 : 64)
                    radius: Theme.radius
                    color: screen.toneFill(Verify.verdictTone)
                    border.color: Verify.verdictTone === "wait" ? Theme.saffron
                                                                : screen.toneInk(Verify.verdictTone)
                    border.width: 4
                    ColumnLayout {
                        id: verdictColumn
                        anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                                  leftMargin: 32; rightMargin: 32 }
                        spacing: 12
                        RowLayout {
                            spacing: 28
                            Layout.fillWidth: true
                            Icon {
                                name: Verify.verdictTone === "good" ? "check"
                                      : Verify.verdictTone === "info" ? "status" : "warning"
                                color: screen.toneInk(Verify.verdictTone)
                                Layout.preferredWidth: screen.landscape ? 96 : 128
                                Layout.preferredHeight: screen.landscape ? 96 : 128
                            }
                            ColumnLayout {
                                spacing: 4
                                Layout.fillWidth: true
                                Text {
                                    textFormat: Text.PlainText
                                    objectName: "verdictTitle"
                                    text: Verify.verdictTitle
                                    color: screen.toneInk(Verify.verdictTone)
                                    font.pixelSize: screen.landscape ? Theme.headingSize : Theme.titleSize
                                    font.weight: Font.Bold
                                    wrapMode: Text.WordWrap
                                    Layout.fillWidth: true
                                }
                                Text {
                                    textFormat: Text.PlainText
                                    text: Verify.verdictTitleOther
                                    color: screen.toneInk(Verify.verdictTone)
                                    font.pixelSize: Theme.bodySize
                                    font.weight: Font.DemiBold
                                    wrapMode: Text.WordWrap
                                    Layout.fillWidth: true
                                }
                            }
                        }
                        Text {
                            textFormat: Text.PlainText
                            objectName: "verdictText"
                            text: Verify.verdictText
                            color: Theme.text
                            font.pixelSize: screen.landscape ? Theme.bodySize : Theme.largeSize
                            font.weight: Font.DemiBold
                            wrapMode: Text.WordWrap
                            Layout.fillWidth: true
                        }
                        Repeater {
                            model: Verify.verdictNotes
                            Text {
                                textFormat: Text.PlainText
                                required property var modelData
                                required property int index
                                objectName: "verdictNote_" + index
                                text: modelData
                                color: Theme.muted
                                font.pixelSize: Theme.smallSize
                                wrapMode: Text.WrapAtWordBoundaryOrAnywhere
                                Layout.fillWidth: true
                            }
                        }
                    }
                }

                // the certified facts (only when the signature is genuine)
                Rectangle {
                    visible: Verify.certificateRows.length > 0
                    Layout.fillWidth: true
                    Layout.preferredHeight: rowsColumn.implicitHeight + 32
                    radius: Theme.radius
                    color: Theme.card
                    border.color: Theme.border
                    border.width: 2
                    GridLayout {
                        id: rowsColumn
                        anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                                  leftMargin: 28; rightMargin: 28 }
                        columns: 2
                        columnSpacing: 24
                        rowSpacing: screen.landscape ? 4 : 16
                        Repeater {
                            model: Verify.certificateRows
                            delegate: Text {
                                textFormat: Text.PlainText
                                required property var modelData
                                text: modelData.label
                                color: Theme.muted
                                font.pixelSize: screen.landscape ? Theme.smallSize : Theme.bodySize
                                Layout.row: index
                                Layout.column: 0
                                Layout.maximumWidth: rowsColumn.width * 0.38
                                wrapMode: Text.WordWrap
                                required property int index
                            }
                        }
                        Repeater {
                            model: Verify.certificateRows
                            delegate: Text {
                                textFormat: Text.PlainText
                                required property var modelData
                                required property int index
                                objectName: "cert_" + modelData.key
                                text: modelData.value
                                color: Theme.text
                                font.pixelSize: screen.landscape ? Theme.smallSize : Theme.bodySize
                                font.weight: Font.Bold
                                wrapMode: Text.WrapAtWordBoundaryOrAnywhere
                                Layout.row: index
                                Layout.column: 1
                                Layout.fillWidth: true
                            }
                        }
                    }
                }

                Item { Layout.fillHeight: true }

                RowLayout {
                    spacing: 16
                    Layout.fillWidth: true
                    KioskButton {
                        objectName: "verifyAckStatusButton"
                        visible: Verify.verdict === "acknowledgement"
                        text: qsTr("See the application's status")
                        iconName: "status"
                        textSize: Theme.bodySize
                        Layout.fillWidth: true
                        Layout.preferredHeight: 112
                        onClicked: Verify.openAcknowledgementStatus()
                    }
                    KioskButton {
                        objectName: "verifyAnotherButton"
                        kind: "secondary"
                        text: qsTr("Verify another certificate")
                        iconName: "verify"
                        textSize: Theme.bodySize
                        Layout.fillWidth: true
                        Layout.preferredHeight: 112
                        onClicked: Verify.clearVerify()
                    }
                }
            }
        }
    }
}
