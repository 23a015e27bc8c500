pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Layouts
import Kiosk

// Applying for a certificate: one generic wizard driven by the catalogue. The view-model
// `Apply` owns every answer and the current page; this screen only shows the page, where the
// citizen is ("Step 2 of 6"), and a "please wait" while the application is saved.
Rectangle {
    id: screen
    objectName: "applyScreen"
    color: Theme.page
    readonly property bool landscape: width > height
    // The on-screen keyboard covers the bottom of the window; pages keep their buttons above it.
    // (Main.qml says how much the kiosk's keyboard covers.)
    readonly property real keyboardHeight: KeyboardArea.height

    TopBar {
        id: bar
        anchors { left: parent.left; right: parent.right; top: parent.top }
        title: Apply.page === "service" ? qsTr("Apply for a certificate")
               : Apply.page === "ack" ? qsTr("Application submitted")
               : Apply.serviceName
        // Once saved, an application cannot be taken back: payment and the acknowledgement
        // only go forward.
        showBack: Apply.page !== "payment" && Apply.page !== "ack"
        onBackClicked: Apply.back()
    }

    ApplyProgress {
        id: progress
        anchors { left: parent.left; right: parent.right; top: bar.bottom }
        // In landscape the keyboard leaves little room: the form needs every line of it.
        visible: Apply.progressTotal > 0 && !(screen.landscape && screen.keyboardHeight > 0)
        height: visible ? implicitHeight : 0
    }

    // Double-buffered like the screens (SwapLoader): the next page, the form above all, is built
    // while the current one stays up. It follows Apply.page only while this screen is the
    // session's: once the citizen has left (Main.qml keeps this screen up until the next one is
    // built) the session wipe resets Apply.page, and building the service page for a screen on
    // its way out would stall the switch.
    SwapLoader {
        id: pageLoader
        objectName: "applyPageLoader"
        anchors { left: parent.left; right: parent.right; top: progress.bottom
                  bottom: parent.bottom }
        key: Apply.page
        follows: Session.screen === "apply"
        fallback: servicePage
        components: ({
            "form": formPage, "documents": documentsPage, "review": reviewPage,
            "payment": paymentPage, "ack": ackPage
        })
    }

    Component { id: servicePage; ApplyServicePage { keyboardHeight: screen.keyboardHeight; landscape: screen.landscape } }
    Component { id: formPage; ApplyFormPage { keyboardHeight: screen.keyboardHeight; landscape: screen.landscape } }
    Component { id: documentsPage; ApplyDocumentsPage { landscape: screen.landscape } }
    Component { id: reviewPage; ApplyReviewPage { landscape: screen.landscape } }
    Component { id: paymentPage; ApplyPaymentPage { landscape: screen.landscape } }
    Component { id: ackPage; ApplyAckPage { landscape: screen.landscape } }

    Connections {
        target: Apply
        function onPageChanged() {
            KeyboardArea.dismiss()
        }
    }

    BusyOverlay {
        anchors.fill: parent
        visible: Apply.busy
        z: 20
    }
}
